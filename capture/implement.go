package capture

import "time"

// What store implementations outside this package (pgstore) share with SQLite, so a capture
// means the same thing, byte for byte, whichever store keeps it.

// EncodeHeaders packs headers in the stored form SQLite keeps: order, repeats and any bytes
// survive.
func EncodeHeaders(hs []Header) []byte { return encodeHeaders(hs) }

// DecodeHeaders reads what EncodeHeaders wrote.
func DecodeHeaders(b []byte) ([]Header, error) { return decodeHeaders(b) }

// SearchFields are the four texts free text is found in (path, query string, header lines,
// body), each valid UTF-8 without NUL: Filter.Q matches a capture when one of them, lower-cased
// with strings.ToLower, contains strings.ToLower(Q).
func SearchFields(path, query string, headers []Header, body []byte) [4]string {
	return searchFields(path, query, headers, body)
}

// CloneCapture copies c so subscribers never share memory the saver may still change.
func CloneCapture(c *Capture) *Capture { return cloneCapture(c) }

// IDFloor is the smallest id a capture received at t can have (ids start with their receive
// time), for time-bounded scans along the id order.
func IDFloor(t time.Time) string { return idFloor(t) }
