package signature

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"strings"
	"sync"
)

// algo is the hash under an HMAC.
type algo int

const (
	algSHA256 algo = iota
	algSHA1
)

// encoding is how a scheme writes its MAC in a header.
type encoding int

const (
	encHex        encoding = iota // lowercase hex, compared exactly (uppercase is rejected)
	encHexAnyCase                 // hex in either case
	encBase64                     // standard base64 with padding
)

const (
	maxBlock = 64 // block size of SHA-1 and SHA-256
	maxSum   = 32 // output size of SHA-256 (SHA-1 is 20)
)

// macState is a reusable HMAC computer. crypto/hmac allocates its hashes on every New, so a
// pooled state with a hand-rolled HMAC keeps Verify free of allocations on the hot path.
type macState struct {
	alg     algo
	h       hash.Hash
	block   int
	pad     [maxBlock]byte
	keySum  [maxSum]byte
	inner   [maxSum]byte
	sum     [maxSum]byte
	enc     [2 * maxSum]byte
	key     []byte // scratch for the key bytes
	keySrc  []byte // scratch for base64 input
	prefix  []byte // scratch for the signed bytes before the body
	scratch []byte // scratch for anything else (twilio's signed string)
}

var macPools = [...]sync.Pool{
	algSHA256: {New: func() any { return newMACState(algSHA256) }},
	algSHA1:   {New: func() any { return newMACState(algSHA1) }},
}

func newMACState(a algo) *macState {
	m := &macState{alg: a, block: maxBlock}
	if a == algSHA1 {
		m.h = sha1.New()
	} else {
		m.h = sha256.New()
	}
	return m
}

func getMAC(a algo) *macState { return macPools[a].Get().(*macState) }

func putMAC(m *macState) { macPools[m.alg].Put(m) }

// mac returns HMAC(key, prefix || body); the result aliases m and is valid until the next call.
func (m *macState) mac(key, prefix, body []byte) []byte {
	if len(key) > m.block {
		m.h.Reset()
		m.h.Write(key)
		key = m.h.Sum(m.keySum[:0])
	}
	m.h.Reset()
	m.fillPad(key, 0x36)
	m.h.Write(m.pad[:m.block])
	m.h.Write(prefix)
	m.h.Write(body)
	inner := m.h.Sum(m.inner[:0])
	m.h.Reset()
	m.fillPad(key, 0x5c)
	m.h.Write(m.pad[:m.block])
	m.h.Write(inner)
	return m.h.Sum(m.sum[:0])
}

func (m *macState) fillPad(key []byte, v byte) {
	for i := 0; i < m.block; i++ {
		var b byte
		if i < len(key) {
			b = key[i]
		}
		m.pad[i] = b ^ v
	}
}

// encode writes mac in the scheme's text form into m's buffer.
func (m *macState) encode(e encoding, mac []byte) []byte {
	if e == encBase64 {
		n := base64.StdEncoding.EncodedLen(len(mac))
		base64.StdEncoding.Encode(m.enc[:n], mac)
		return m.enc[:n]
	}
	n := hex.Encode(m.enc[:], mac)
	return m.enc[:n]
}

// keyBytes turns a configured secret into HMAC key bytes. decode selects the whsec_ form:
// strip the prefix and base64-decode the rest (Standard Webhooks).
func (m *macState) keyBytes(secret string, decode bool) ([]byte, error) {
	if !decode {
		m.key = append(m.key[:0], secret...)
		return m.key, nil
	}
	m.keySrc = append(m.keySrc[:0], strings.TrimPrefix(secret, whsecPrefix)...)
	n := base64.StdEncoding.DecodedLen(len(m.keySrc))
	if cap(m.key) < n {
		m.key = make([]byte, n)
	}
	n, err := base64.StdEncoding.Decode(m.key[:n], m.keySrc)
	if err != nil {
		return nil, err
	}
	return m.key[:n], nil
}

const whsecPrefix = "whsec_"

// equalCT compares a computed value with a received one in time independent of the contents.
func equalCT(a []byte, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := range a {
		v |= a[i] ^ b[i]
	}
	return v == 0
}

// equalStringsCT is equalCT for two strings (token schemes compare the secret itself).
func equalStringsCT(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := 0; i < len(a); i++ {
		v |= a[i] ^ b[i]
	}
	return v == 0
}

// equalHexFoldCT compares lowercase hex a with b, accepting uppercase letters in b.
func equalHexFoldCT(a []byte, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := range a {
		c := b[i]
		if c >= 'A' && c <= 'F' {
			c += 'a' - 'A'
		}
		v |= a[i] ^ c
	}
	return v == 0
}

// matches reports whether encoded equals the candidate under the scheme's encoding rules.
func matches(e encoding, encoded []byte, cand string) bool {
	if e == encHexAnyCase {
		return equalHexFoldCT(encoded, cand)
	}
	return equalCT(encoded, cand)
}
