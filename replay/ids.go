package replay

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
)

// Fresh ids in each provider's own shape, so crafted deliveries look like the real ones and never
// collide with an earlier delivery in the gateway's idempotency window.

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return b
}

// newUUID returns a random RFC 4122 version 4 UUID.
func newUUID() string {
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// randomFrom returns n characters drawn from set.
func randomFrom(set string, n int) string {
	b := randomBytes(n)
	out := make([]byte, n)
	for i, c := range b {
		out[i] = set[int(c)%len(set)]
	}
	return string(out)
}

// newStripeEventID looks like Stripe's "evt_" + 24 base62 characters.
func newStripeEventID() string { return "evt_" + randomFrom(alnum, 24) }

// newStandardMsgID looks like Svix's "msg_" + 27 base62 characters.
func newStandardMsgID() string { return "msg_" + randomFrom(alnum, 27) }

// newSlackEventID looks like Slack's "Ev" + 10 upper-case alphanumerics.
func newSlackEventID() string { return "Ev" + randomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10) }

// newHexEventID looks like Cost Katana's "evt_" + 16 hex digits.
func newHexEventID() string { return "evt_" + hex.EncodeToString(randomBytes(8)) }

// newHex returns n random bytes in lower-case hex.
func newHex(n int) string { return hex.EncodeToString(randomBytes(n)) }

func formatUint(v uint64) string { return strconv.FormatUint(v, 10) }

// newNonce is a short random token that tells one replay's capture from another's.
func newNonce() string { return hex.EncodeToString(randomBytes(12)) }
