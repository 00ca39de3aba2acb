// check.mjs signs and verifies webhook deliveries with the providers' official SDKs so the Go
// test in this directory can cross-check hooktap's signature package against them.
//
// Input on stdin: one JSON case, or a JSON array of cases. Output on stdout: one JSON result per
// case (an array for an array). Fields of a case:
//   mode       "sign" or "verify"
//   scheme     stripe | standard | svix | github | twilio | shopify | slack | discord | paddle | linear
//   secret     the signing secret (Discord: unused; Paddle: the notification secret key)
//   publicKey  Discord: the application's hex Ed25519 public key
//   body       the raw request body, base64
//   url        the full URL the provider called (Twilio)
//   timestamp  unix seconds to sign with (stripe, standard, svix)
//   id         the message id (standard, svix)
//   headers    verify: the request's headers (any case)
//   verifyAt   verify: unix seconds to hold the clock at while the SDK checks (an SDK with a
//              5 s tolerance cannot wait for a loaded machine to start node)
// A sign result is {"headers":{…}}; a verify result is {"ok":true|false,"error":"…"}.

const signers = {
  stripe: signStripe,
  standard: (c) => signStandardLike(c, 'standardwebhooks', 'webhook'),
  svix: (c) => signStandardLike(c, 'svix', 'svix'),
  github: signGitHub,
  twilio: signTwilio,
  shopify: signShopify,
};

const verifiers = {
  stripe: verifyStripe,
  standard: (c) => verifyStandardLike(c, 'standardwebhooks'),
  svix: (c) => verifyStandardLike(c, 'svix'),
  github: verifyGitHub,
  twilio: verifyTwilio,
  shopify: verifyShopify,
  slack: verifySlack,
  discord: verifyDiscord,
  paddle: verifyPaddle,
  linear: verifyLinear,
};

function bodyBuffer(c) {
  return Buffer.from(c.body ?? '', 'base64');
}

function bodyText(c) {
  return bodyBuffer(c).toString('utf8');
}

// header reads a header case-insensitively, as an HTTP server would.
function header(c, name) {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(c.headers ?? {})) {
    if (k.toLowerCase() === want) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

function lowerHeaders(c) {
  const out = {};
  for (const [k, v] of Object.entries(c.headers ?? {})) out[k.toLowerCase()] = Array.isArray(v) ? v[0] : v;
  return out;
}

async function stripeClient() {
  const { default: Stripe } = await import('stripe');
  // The API key is never used: webhook helpers work offline.
  return new Stripe('sk_test_sdkcheck');
}

async function signStripe(c) {
  const stripe = await stripeClient();
  const sig = stripe.webhooks.generateTestHeaderString({
    payload: bodyText(c),
    secret: c.secret,
    timestamp: c.timestamp,
  });
  return { 'Stripe-Signature': sig };
}

async function verifyStripe(c) {
  const stripe = await stripeClient();
  stripe.webhooks.constructEvent(bodyBuffer(c), header(c, 'Stripe-Signature'), c.secret);
}

async function signStandardLike(c, pkg, prefix) {
  const { Webhook } = await import(pkg);
  const date = new Date(c.timestamp * 1000);
  const sig = new Webhook(c.secret).sign(c.id, date, bodyText(c));
  return { [`${prefix}-id`]: c.id, [`${prefix}-timestamp`]: String(c.timestamp), [`${prefix}-signature`]: sig };
}

async function verifyStandardLike(c, pkg) {
  const { Webhook } = await import(pkg);
  new Webhook(c.secret).verify(bodyText(c), lowerHeaders(c));
}

async function signGitHub(c) {
  const { sign } = await import('@octokit/webhooks-methods');
  return { 'X-Hub-Signature-256': await sign(c.secret, bodyText(c)) };
}

async function verifyGitHub(c) {
  const { verify } = await import('@octokit/webhooks-methods');
  const sig = header(c, 'X-Hub-Signature-256');
  if (!(await verify(c.secret, bodyText(c), sig ?? ''))) throw new Error('signature does not match');
}

// twilioParams turns a form body into the object Twilio's helpers take (repeated keys → arrays).
function twilioParams(c) {
  const params = {};
  for (const [k, v] of new URLSearchParams(bodyText(c))) {
    if (k in params) params[k] = [].concat(params[k], v);
    else params[k] = v;
  }
  return params;
}

function isForm(c) {
  return (header(c, 'Content-Type') ?? '').startsWith('application/x-www-form-urlencoded');
}

async function signTwilio(c) {
  const { default: twilio } = await import('twilio');
  const params = isForm(c) ? twilioParams(c) : {};
  return { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(c.secret, c.url, params) };
}

async function verifyTwilio(c) {
  const { default: twilio } = await import('twilio');
  const sig = header(c, 'X-Twilio-Signature') ?? '';
  const ok = isForm(c)
    ? twilio.validateRequest(c.secret, sig, c.url, twilioParams(c))
    : twilio.validateRequestWithBody(c.secret, sig, c.url, bodyText(c));
  if (!ok) throw new Error('signature does not match');
}

async function shopifyClient(secret) {
  await import('@shopify/shopify-api/adapters/web-api');
  const { shopifyApi, ApiVersion, LogSeverity } = await import('@shopify/shopify-api');
  return shopifyApi({
    apiKey: 'sdkcheck',
    apiSecretKey: secret,
    scopes: [],
    hostName: 'hooktap.test',
    apiVersion: ApiVersion.January25,
    isEmbeddedApp: false,
    logger: { level: LogSeverity.Error, log: async () => {} },
  });
}

async function signShopify(c) {
  const { createSHA256HMAC, HashFormat } = await import('@shopify/shopify-api/runtime');
  return { 'X-Shopify-Hmac-Sha256': await createSHA256HMAC(c.secret, bodyText(c), HashFormat.Base64) };
}

async function verifyShopify(c) {
  const shopify = await shopifyClient(c.secret);
  const rawRequest = new Request(c.url ?? 'https://hooktap.test/hooks/shopify', {
    method: 'POST',
    headers: c.headers,
    body: bodyBuffer(c),
  });
  const res = await shopify.webhooks.validate({ rawBody: bodyText(c), rawRequest });
  if (!res.valid) throw new Error(`shopify: ${res.reason}${res.missingHeaders ? ' ' + res.missingHeaders : ''}`);
}

async function verifySlack(c) {
  const { verifySlackRequest } = await import('@slack/bolt');
  verifySlackRequest({
    signingSecret: c.secret,
    body: bodyText(c),
    headers: lowerHeaders(c),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
}

async function verifyDiscord(c) {
  const { verifyKey } = await import('discord-interactions');
  const ok = await verifyKey(
    bodyBuffer(c),
    header(c, 'X-Signature-Ed25519') ?? '',
    header(c, 'X-Signature-Timestamp') ?? '',
    c.publicKey,
  );
  if (!ok) throw new Error('signature does not match');
}

async function verifyPaddle(c) {
  const { Paddle, LogLevel } = await import('@paddle/paddle-node-sdk');
  const paddle = new Paddle('pdl_sdbx_apikey_sdkcheck', { logLevel: LogLevel.error });
  // isSignatureValid is the check unmarshal runs first; unmarshal then also builds typed event
  // objects, which needs complete Paddle payloads and tests nothing about signatures.
  const ok = await paddle.webhooks.isSignatureValid(bodyText(c), c.secret, header(c, 'Paddle-Signature') ?? '');
  if (!ok) throw new Error('[Paddle] Webhook signature verification failed');
}

async function verifyLinear(c) {
  const { LinearWebhookClient } = await import('@linear/sdk/webhooks');
  new LinearWebhookClient(c.secret).verify(bodyBuffer(c), header(c, 'Linear-Signature') ?? '');
}

// atTime runs fn with Date frozen at unix seconds t (when given).
async function atTime(t, fn) {
  if (!t) return fn();
  const RealDate = Date;
  const fixed = t * 1000;
  globalThis.Date = class extends RealDate {
    constructor(...args) {
      super(...(args.length ? args : [fixed]));
    }
    static now() {
      return fixed;
    }
  };
  try {
    return await fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

async function runCase(c) {
  try {
    if (c.mode === 'sign') {
      const fn = signers[c.scheme];
      if (!fn) return { error: `no SDK signer for scheme ${c.scheme}` };
      return { headers: await fn(c) };
    }
    if (c.mode === 'verify') {
      const fn = verifiers[c.scheme];
      if (!fn) return { ok: false, error: `no SDK verifier for scheme ${c.scheme}` };
      await atTime(c.verifyAt, () => fn(c));
      return { ok: true };
    }
    return { error: `unknown mode ${c.mode}` };
  } catch (err) {
    return c.mode === 'verify' ? { ok: false, error: String(err?.message ?? err) } : { error: String(err?.message ?? err) };
  }
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const input = JSON.parse(await readStdin());
if (Array.isArray(input)) {
  const out = [];
  // Sequential so results come back in order and SDK logs cannot interleave.
  for (const c of input) out.push(await runCase(c));
  process.stdout.write(JSON.stringify(out) + '\n');
} else {
  process.stdout.write(JSON.stringify(await runCase(input)) + '\n');
}
