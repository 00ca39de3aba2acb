package signature

// verifyMAC runs the common HMAC pipeline: read headers, try every secret, then check time.
func verifyMAC(spec *macSpec, e *env) Outcome {
	var sh sigHeader
	if f := parseMAC(spec, e, &sh); f.reason != "" {
		return failedOutcome(spec.name, f, sh.received)
	}
	m := getMAC(sh.alg)
	defer putMAC(m)
	m.prefix = signedPrefix(spec.name, m.prefix[:0], &sh)
	label, matched, usable := matchSecrets(m, spec, e, &sh)
	if !matched {
		o := failedOutcome(spec.name, mismatchDetail(spec.name, &sh, usable), sh.received)
		if exp := firstExpected(m, spec, e); exp != "" {
			o.Expected = formatSignature(spec.name, &sh, exp)
		}
		return o
	}
	if sh.hasTS {
		if s := timestampSkew(spec, e, &sh); s.outside(spec.ts) {
			o := failedOutcome(spec.name, failure{ReasonTimestampTolerance, s.sentence()}, sh.received)
			o.MatchedSecret = label
			return o
		}
	}
	return verified(spec.name, label)
}

func mismatchDetail(scheme string, sh *sigHeader, usable int) failure {
	if usable == 0 {
		return fail(ReasonMismatch, "no configured secret is a valid %s secret (whsec_ followed by base64), so %s cannot be checked", scheme, sh.header)
	}
	return fail(ReasonMismatch, "the %s signature in %s does not match any configured secret", scheme, sh.header)
}

// matchSecrets tries each secret (rotation) and returns the matching one's label, and how many
// secrets could be used as keys at all.
func matchSecrets(m *macState, spec *macSpec, e *env, sh *sigHeader) (label string, matched bool, usable int) {
	for i := range e.p.Secrets {
		s := &e.p.Secrets[i]
		key, err := m.keyBytes(s.Value, decodeKey(spec, e.km))
		if err != nil {
			continue
		}
		usable++
		enc := m.encode(spec.enc, m.mac(key, m.prefix, e.req.Body))
		for _, c := range sh.candidates() {
			if matches(spec.enc, enc, c) {
				return s.Label, true, usable
			}
		}
	}
	return "", false, usable
}

// firstExpected is the signature the first usable secret computes, in the header's form.
func firstExpected(m *macState, spec *macSpec, e *env) string {
	for _, s := range e.p.Secrets {
		key, err := m.keyBytes(s.Value, decodeKey(spec, e.km))
		if err != nil {
			continue
		}
		return string(m.encode(spec.enc, m.mac(key, m.prefix, e.req.Body)))
	}
	return ""
}

func decodeKey(spec *macSpec, km keyMode) bool {
	switch km {
	case keyRaw:
		return false
	case keyDecoded:
		return true
	}
	return spec.whsec
}

func timestampSkew(spec *macSpec, e *env, sh *sigHeader) skew {
	return skew{ms: e.now().UnixMilli() - sh.tsMs, tol: tolerance(e.p, spec.tol)}
}

// signedPrefix appends the bytes a scheme signs before the body.
func signedPrefix(scheme string, dst []byte, sh *sigHeader) []byte {
	switch scheme {
	case SchemeStripe, SchemeTimestamped:
		dst = append(append(dst, sh.ts...), '.')
	case SchemeSlack, SchemeZoom:
		dst = append(append(append(dst, "v0:"...), sh.ts...), ':')
	case SchemePaddle:
		dst = append(append(dst, sh.ts...), ':')
	case SchemeStandard:
		dst = append(append(dst, sh.id...), '.')
		dst = append(append(dst, sh.ts...), '.')
	}
	return dst
}

// parseMAC reads the scheme's headers into sh, then its timestamp.
func parseMAC(spec *macSpec, e *env, sh *sigHeader) failure {
	sh.alg = spec.alg
	sh.header, sh.tsHeader = spec.headerNames(e.p.SignatureHeader, e.p.TimestampHeader)
	var f failure
	switch spec.name {
	case SchemeGitHub:
		f = parseGitHubRequest(e, sh)
	case SchemeStandard:
		f = parseStandardRequest(e, sh)
	case SchemeTimestamped:
		f = parseTimestampedRequest(e, sh)
	default:
		f = parseSimpleRequest(spec, e, sh)
	}
	if f.reason != "" {
		return f
	}
	return parseTimestamp(spec, sh)
}

func parseTimestamp(spec *macSpec, sh *sigHeader) failure {
	if spec.ts == tsNone || sh.ts == "" {
		return failure{}
	}
	unit := unitSeconds
	switch spec.name {
	case SchemeLinear:
		unit = unitMillis
	case SchemeTimestamped:
		unit = unitAuto
	}
	ms, ok := parseUnix(sh.ts, unit)
	if !ok {
		return fail(ReasonMalformedHeader, "the timestamp %q is not a unix time", sh.ts)
	}
	sh.tsMs, sh.hasTS = ms, true
	return failure{}
}

// readSig reads the single signature header value into sh.
func readSig(e *env, sh *sigHeader) failure {
	v, f := single(e, sh.header)
	sh.received = v
	return f
}

// readTS reads the single timestamp header value into sh.
func readTS(e *env, sh *sigHeader) failure {
	v, f := single(e, sh.tsHeader)
	sh.ts = v
	return f
}

func malformed(sh *sigHeader, err error) failure {
	return fail(ReasonMalformedHeader, "the %s header %s", sh.header, err.Error())
}
