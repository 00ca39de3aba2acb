// handler.mjs is a webhook endpoint the way an app writes one, built on the provider's official
// SDK, for the `hooktap audit` tests. It listens on 127.0.0.1 (a free port, printed on stdout as
// "listening PORT") and serves every path.
//
//   node handler.mjs MODE PROVIDER SECRET [DELAY_MS]
//
// MODE:
//   correct     reads the raw body (1 MiB limit, 413 beyond), verifies it with the SDK, answers
//               401 on failure and 200 otherwise — duplicates included
//   acceptall   reads the body and answers 200 to everything
//   parsedjson  parses the JSON and verifies JSON.stringify of it: the classic framework mistake
//   slow        correct, after waiting DELAY_MS
// PROVIDER: stripe (stripe.webhooks.constructEvent), github (@octokit/webhooks-methods verify),
// standard (standardwebhooks Webhook.verify).
import http from 'node:http';

const [mode, provider, secret, delayArg] = process.argv.slice(2);
const delay = Number(delayArg ?? 0);
const limit = 1 << 20;

const verifiers = {
  async stripe(body, headers) {
    const { default: Stripe } = await import('stripe');
    new Stripe('sk_test_sdkcheck').webhooks.constructEvent(body, headers['stripe-signature'] ?? '', secret);
  },
  async github(body, headers) {
    const { verify } = await import('@octokit/webhooks-methods');
    if (!(await verify(secret, body.toString('utf8'), headers['x-hub-signature-256'] ?? ''))) {
      throw new Error('signature does not match');
    }
  },
  async standard(body, headers) {
    const { Webhook } = await import('standardwebhooks');
    new Webhook(secret).verify(body.toString('utf8'), headers);
  },
};

// readBody collects the body, or returns null once it passes the limit.
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        resolve(null);
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function answer(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain', Connection: 'close' });
  res.end(text);
}

async function handle(req, res) {
  if (Number(req.headers['content-length'] ?? 0) > limit) return answer(res, 413, 'too large');
  const body = await readBody(req);
  if (body === null) return answer(res, 413, 'too large');
  if (mode === 'acceptall') return answer(res, 200, 'ok');
  if (mode === 'slow') await new Promise((r) => setTimeout(r, delay));
  let signed = body;
  if (mode === 'parsedjson') {
    try {
      signed = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    } catch {
      return answer(res, 400, 'not JSON');
    }
  }
  try {
    await verifiers[provider](signed, req.headers);
  } catch (err) {
    return answer(res, 401, String(err?.message ?? err));
  }
  return answer(res, 200, 'ok');
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => answer(res, 500, String(err)));
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
