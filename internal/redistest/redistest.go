// Package redistest gives tests a key prefix of their own on the Redis named by
// HOOKTAP_TEST_REDIS, so tests and parallel packages never see each other's keys.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"
)

// Env names the variable holding the test server's URL.
const Env = "HOOKTAP_TEST_REDIS"

// URL returns the test server's URL with a fresh `prefix` parameter, and the prefix; every key
// under it is deleted when t ends. t is skipped when no server is configured.
func URL(t testing.TB) (rawURL, prefix string) {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		t.Skip(Env + " is not set (e.g. redis://127.0.0.1:6379/0): no Redis to test against")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	prefix = "hooktap-test:" + hex.EncodeToString(b[:]) + ":"
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	q := u.Query()
	q.Set("prefix", prefix)
	u.RawQuery = q.Encode()
	t.Cleanup(func() { dropKeys(t, base, prefix) })
	return u.String(), prefix
}

// dropKeys deletes the keys under prefix, and the rate limiter's, which it prefixes with "rate:".
func dropKeys(t testing.TB, base, prefix string) {
	opt, err := redis.ParseURL(base)
	if err != nil {
		t.Error(err)
		return
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	ctx := context.Background()
	for _, match := range []string{prefix + "*", "rate:" + prefix + "*"} {
		iter := rdb.Scan(ctx, 0, match, 1000).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
		if err := iter.Err(); err != nil {
			t.Error(err)
		}
	}
}
