package signature

import (
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// discordKey is one public key to try: Params.PublicKey first, then each secret's value.
type discordKey struct {
	label string
	hex   string
}

func discordKeys(p *Params) []discordKey {
	var keys []discordKey
	if p.PublicKey != "" {
		keys = append(keys, discordKey{"public_key", p.PublicKey})
	}
	for _, s := range p.Secrets {
		keys = append(keys, discordKey{s.Label, s.Value})
	}
	return keys
}

// verifyDiscord checks an Ed25519 signature over timestamp || body with the app's public key.
func verifyDiscord(e *env) Outcome {
	sigHex, f := single(e, hDiscordSig)
	if f.reason != "" {
		return failedOutcome(SchemeDiscord, f, sigHex)
	}
	ts, f := single(e, hDiscordTS)
	if f.reason != "" {
		return failedOutcome(SchemeDiscord, f, sigHex)
	}
	var sig [ed25519.SignatureSize]byte
	if len(sigHex) != 2*len(sig) {
		return failedOutcome(SchemeDiscord, fail(ReasonMalformedHeader,
			"the %s header is not a 128-character hex value", hDiscordSig), sigHex)
	}
	if _, err := hex.Decode(sig[:], []byte(sigHex)); err != nil {
		return failedOutcome(SchemeDiscord, fail(ReasonMalformedHeader, "the %s header is not hex", hDiscordSig), sigHex)
	}
	msg := make([]byte, 0, len(ts)+len(e.req.Body))
	msg = append(append(msg, ts...), e.req.Body...)
	var badKey string
	for _, k := range discordKeys(e.p) {
		pub, ok := decodePublicKey(k.hex)
		if !ok {
			badKey = k.label
			continue
		}
		if ed25519.Verify(pub, msg, sig[:]) {
			return verified(SchemeDiscord, k.label)
		}
	}
	detail := "the Ed25519 signature does not verify with any configured public key"
	if badKey != "" {
		detail += fmt.Sprintf(" (key %s is not 64 hex characters)", badKey)
	}
	return failedOutcome(SchemeDiscord, failure{ReasonMismatch, detail}, sigHex)
}

func decodePublicKey(s string) (ed25519.PublicKey, bool) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, false
	}
	return ed25519.PublicKey(b), true
}

// signDiscord signs with a hex Ed25519 seed (64 hex chars); the secret is the private key.
func signDiscord(in *SignInput, now time.Time) (http.Header, error) {
	seed, err := hex.DecodeString(in.Secret)
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("%w: discord signing needs the 64-hex-character Ed25519 private key seed", ErrBadSecret)
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	msg := append([]byte(ts), in.Body...)
	sig := ed25519.Sign(ed25519.NewKeyFromSeed(seed), msg)
	h := http.Header{}
	h.Set(hDiscordSig, hex.EncodeToString(sig))
	h.Set(hDiscordTS, ts)
	return h, nil
}

// NewDiscordKeyPair makes an Ed25519 key pair for crafting Discord deliveries: the private key
// seed signs (it is the secret hooktap signs with), the public key goes in the receiver's config.
func NewDiscordKeyPair() (seedHex, publicHex string) {
	pub, priv, _ := ed25519.GenerateKey(nil) // crypto/rand never fails on supported platforms
	return hex.EncodeToString(priv.Seed()), hex.EncodeToString(pub)
}

// DiscordPublicKey returns the hex public key of a hex Ed25519 private key seed.
func DiscordPublicKey(seedHex string) (string, error) {
	seed, err := hex.DecodeString(seedHex)
	if err != nil || len(seed) != ed25519.SeedSize {
		return "", fmt.Errorf("%w: a discord signing key is the 64-hex-character Ed25519 private key seed", ErrBadSecret)
	}
	return hex.EncodeToString(ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)), nil
}
