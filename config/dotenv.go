package config

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
)

// dotenvKeys are the variables hooktap takes from Hermes' .env; the file also holds API keys,
// which hooktap never reads.
var dotenvKeys = []string{"WEBHOOK_ENABLED", "WEBHOOK_PORT", "WEBHOOK_SECRET"}

// hermesDotenv reads WEBHOOK_* from the .env beside a Hermes config.yaml (Hermes keeps
// ~/.hermes/.env there) as Hermes' own loader does: a variable already in the environment wins.
// It returns env with those values underneath, and the names it took from the file.
func hermesDotenv(configFile string, env func(string) string) (func(string) string, []string) {
	data, err := os.ReadFile(filepath.Join(filepath.Dir(configFile), ".env"))
	if err != nil {
		return env, nil
	}
	vars := parseDotenv(data)
	var taken []string
	for _, k := range dotenvKeys {
		if _, ok := vars[k]; ok && env(k) == "" {
			taken = append(taken, k)
		}
	}
	return func(k string) string {
		if v := env(k); v != "" {
			return v
		}
		for _, t := range taken {
			if t == k {
				return vars[k]
			}
		}
		return ""
	}, taken
}

// parseDotenv reads KEY=VALUE lines: `export ` prefixes, quoted values, and ` #` comments after
// an unquoted value (WEBHOOK_PORT=8644 # default) are understood.
func parseDotenv(data []byte) map[string]string {
	vars := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && strings.IndexByte(v[1:], v[0]) >= 0 {
			v = v[1 : 1+strings.IndexByte(v[1:], v[0])]
		} else if i := strings.Index(v, " #"); i >= 0 {
			v = strings.TrimSpace(v[:i])
		}
		vars[strings.TrimSpace(k)] = v
	}
	return vars
}
