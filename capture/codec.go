package capture

import (
	"encoding/binary"
	"errors"
)

// headerCodecVersion prefixes every encoded header list so the format can change later.
const headerCodecVersion = 1

var errBadHeaders = errors.New("stored headers are malformed")

// encodeHeaders packs headers as length-prefixed byte strings, which keeps order, repeats and
// any bytes (a JSON text form would rewrite invalid UTF-8).
func encodeHeaders(hs []Header) []byte {
	size := 1
	for _, h := range hs {
		size += len(h.Name) + len(h.Value) + 2*binary.MaxVarintLen32
	}
	buf := make([]byte, 0, size)
	buf = append(buf, headerCodecVersion)
	for _, h := range hs {
		buf = binary.AppendUvarint(buf, uint64(len(h.Name)))
		buf = append(buf, h.Name...)
		buf = binary.AppendUvarint(buf, uint64(len(h.Value)))
		buf = append(buf, h.Value...)
	}
	return buf
}

func decodeHeaders(b []byte) ([]Header, error) {
	if len(b) == 0 {
		return nil, nil
	}
	if b[0] != headerCodecVersion {
		return nil, errBadHeaders
	}
	b = b[1:]
	var hs []Header
	for len(b) > 0 {
		name, rest, err := readChunk(b)
		if err != nil {
			return nil, err
		}
		value, rest, err := readChunk(rest)
		if err != nil {
			return nil, err
		}
		hs = append(hs, Header{Name: name, Value: value})
		b = rest
	}
	return hs, nil
}

func readChunk(b []byte) (string, []byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return "", nil, errBadHeaders
	}
	return string(b[k : k+int(n)]), b[k+int(n):], nil
}
