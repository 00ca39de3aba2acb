// Package sdkcheck cross-checks hooktap's signature package against the providers' official
// SDKs (npm packages pinned in package.json, driven by check.mjs); it holds tests only.
package sdkcheck
