package signature

// parseSimpleRequest handles the schemes with one fixed signature header (plus, for slack and
// zoom, one timestamp header).
func parseSimpleRequest(spec *macSpec, e *env, sh *sigHeader) failure {
	if f := readSig(e, sh); f.reason != "" {
		return f
	}
	var err error
	var sig string
	v := sh.received
	switch spec.name {
	case SchemeStripe:
		err = parseStripeHeader(v, sh)
	case SchemePaddle:
		err = parsePaddleHeader(v, sh)
	case SchemeSlack, SchemeZoom:
		sig, err = parsePrefixedHex(v, "v0=", 64)
	case SchemeBitbucket:
		sig, err = parsePrefixedHex(v, "sha256=", 64)
	case SchemeLinear:
		sig, err = v, hexErr(v)
		sh.ts = linearBodyTimestamp(e.req.Body)
	case SchemeHMAC:
		sig, err = parseLooseHex(v, false)
	case SchemeShopify:
		sig = v
		if v == "" {
			err = errEmpty
		}
	}
	if err != nil {
		return malformed(sh, err)
	}
	if sig != "" {
		sh.add(sig)
	}
	if sh.tsHeader != "" {
		return readTS(e, sh)
	}
	return failure{}
}

func hexErr(v string) error {
	if isHex(v, 64) {
		return nil
	}
	return errNotHex
}

// parseGitHubRequest prefers X-Hub-Signature-256 and falls back to the legacy sha1 header.
func parseGitHubRequest(e *env, sh *sigHeader) failure {
	sha1 := len(headerValues(e.req.Header, hGitHub256)) == 0 && len(headerValues(e.req.Header, hHubSignature)) > 0
	if sha1 {
		sh.header, sh.alg = hHubSignature, algSHA1
	}
	if f := readSig(e, sh); f.reason != "" {
		return f
	}
	sig, err := parseGitHubHeader(sh.received, sha1)
	if err != nil {
		return malformed(sh, err)
	}
	sh.add(sig)
	return failure{}
}

// parseStandardRequest reads webhook-* headers, or svix-* when webhook-signature is absent.
func parseStandardRequest(e *env, sh *sigHeader) failure {
	idHdr := hWebhookID
	if len(headerValues(e.req.Header, hWebhookSig)) == 0 && len(headerValues(e.req.Header, hSvixSig)) > 0 {
		sh.header, sh.tsHeader, idHdr = hSvixSig, hSvixTS, hSvixID
	}
	if f := readSig(e, sh); f.reason != "" {
		return f
	}
	if err := parseStandardHeader(sh.received, sh); err != nil {
		return malformed(sh, err)
	}
	id, f := single(e, idHdr)
	if f.reason != "" {
		return f
	}
	sh.id = id
	return readTS(e, sh)
}

// parseTimestampedRequest reads the configured headers; unconfigured, it also accepts
// hooktap's own X-Hooktap-* pair.
func parseTimestampedRequest(e *env, sh *sigHeader) failure {
	if e.p.SignatureHeader == "" && len(headerValues(e.req.Header, hGenericSig)) == 0 &&
		len(headerValues(e.req.Header, hHooktapSig)) > 0 {
		sh.header = hHooktapSig
		if e.p.TimestampHeader == "" {
			sh.tsHeader = hHooktapTS
		}
	}
	if f := readSig(e, sh); f.reason != "" {
		return f
	}
	sig, err := parseLooseHex(sh.received, true)
	if err != nil {
		return malformed(sh, err)
	}
	sh.add(sig)
	return readTS(e, sh)
}
