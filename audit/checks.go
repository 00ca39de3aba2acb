package audit

import (
	"context"
	"fmt"

	"github.com/hooktap/hooktap/replay"
	"github.com/hooktap/hooktap/signature"
)

// Check ids, stable for --json consumers.
const (
	checkSigned       = "signed"
	checkTampered     = "tampered"
	checkUnsigned     = "unsigned"
	checkWrongSecret  = "wrong_secret"
	checkReserialised = "reserialised"
	checkStale        = "stale"
	checkChallenge    = "challenge"
	checkDuplicate    = "duplicate"
	checkOversized    = "oversized"
	checkBurst        = "burst"
	checkSpeed        = "speed"
)

// checkSpec is one check of the battery.
type checkSpec struct {
	id, title string
	// optional checks warn instead of failing the audit.
	optional bool
	// skip returns why the check does not apply to the runner's scheme, or "".
	skip func(r *runner) string
	run  func(ctx context.Context, r *runner) Check
}

func (s checkSpec) required(*runner) bool { return !s.optional }

func (s checkSpec) skipped(why string) Check {
	return Check{ID: s.id, Title: s.title, Status: Skip, Got: why}
}

// notRun is a check that applies but could not run: a required one counts as not passed.
func (s checkSpec) notRun(r *runner, why string) Check {
	c := s.skipped("not run: " + why)
	if s.skip(r) == "" {
		c.Required = s.required(r)
	}
	return c
}

// battery is every check, in the order they run: the signed delivery first, since nothing else
// means anything when the endpoint cannot be reached or rejects a good delivery.
var battery = []checkSpec{
	{id: checkSigned, title: "a correctly signed delivery is accepted", skip: never, run: runSigned},
	{id: checkTampered, title: "a body changed after signing is rejected", skip: unlessBodySigned, run: runTampered},
	{id: checkUnsigned, title: "a delivery without a signature is rejected", skip: unlessSigned, run: runUnsigned},
	{id: checkWrongSecret, title: "a delivery signed with another secret is rejected", skip: unlessSigned, run: runWrongSecret},
	{id: checkReserialised, title: "a signature over re-serialised JSON is rejected", skip: unlessJSONSigned, run: runReserialised},
	{id: checkStale, title: "a delivery signed 10 minutes ago is rejected", skip: unlessTimestamped, run: runStale},
	{id: checkChallenge, title: "the provider's handshake is answered", skip: unlessHandshake, run: runChallenge},
	{id: checkDuplicate, title: "the same delivery twice is accepted both times", skip: never, run: runDuplicate},
	{id: checkOversized, title: "an oversized body is refused with 4xx", skip: never, run: runOversized},
	{id: checkBurst, title: "a burst of concurrent deliveries is answered in time", skip: never, run: runBurst},
	{id: checkSpeed, title: "answers come well within the provider's timeout", optional: true, skip: never, run: runSpeed},
}

func never(*runner) string { return "" }

func unlessSigned(r *runner) string {
	if r.scheme == signature.SchemeNone {
		return "the provider signs nothing"
	}
	return ""
}

// unlessBodySigned skips schemes whose secret travels as a plain token: the body is not covered.
func unlessBodySigned(r *runner) string {
	switch r.scheme {
	case signature.SchemeGitLab, signature.SchemeHeader:
		return fmt.Sprintf("%s sends a plain token that does not cover the body", r.prof.title)
	}
	return unlessSigned(r)
}

func unlessJSONSigned(r *runner) string {
	if why := unlessBodySigned(r); why != "" {
		return why
	}
	if r.scheme == signature.SchemeTwilio {
		return "Twilio signs form parameters, not JSON bytes"
	}
	return ""
}

func unlessTimestamped(r *runner) string {
	if !replay.SignsTimestamp(r.scheme) {
		return fmt.Sprintf("%s signatures carry no timestamp", r.prof.title)
	}
	return ""
}

func runSigned(ctx context.Context, r *runner) Check {
	c, err := r.craft(nil)
	if err != nil {
		return craftFailed(err)
	}
	a := r.deliver(ctx, c)
	r.observe(a)
	return r.expectAccepted(a)
}

func runTampered(ctx context.Context, r *runner) Check {
	return r.expectRejected(ctx, func(o *replay.CraftOptions) { o.Tamper = true }, nil, rejection{
		meaning: "the endpoint accepted a body that was changed after signing: it does not verify the signature against the body it received",
	})
}

func runUnsigned(ctx context.Context, r *runner) Check {
	return r.expectRejected(ctx, nil, (*replay.Crafted).StripSignature, rejection{
		meaning: "the endpoint accepted a delivery with no signature at all: anyone who finds the URL can post events to it",
	})
}

func runWrongSecret(ctx context.Context, r *runner) Check {
	wrong := wrongSecret(r.scheme)
	return r.expectRejected(ctx, func(o *replay.CraftOptions) { o.Secret = wrong }, nil, rejection{
		meaning: "the endpoint accepted a delivery signed with another secret: it checks that a signature is present, not that it is right",
	})
}

func runStale(ctx context.Context, r *runner) Check {
	return r.expectRejected(ctx, func(o *replay.CraftOptions) { o.Stale = staleBy }, nil, rejection{
		meaning: "the endpoint accepted a delivery signed 10 minutes ago: a recorded delivery can be replayed against it at any time",
		fix:     "reject signed timestamps outside a tolerance of about 5 minutes (the official libraries do this by default)",
	})
}
