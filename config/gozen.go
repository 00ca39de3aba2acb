package config

import (
	"errors"

	"go.yaml.in/yaml/v4"
)

// gozenFile is gozen's webhooks file: {"webhooks": [{enabled, url, events, headers}]}, the same
// shape as hooktap's notify.webhooks. Other keys of gozen's config are listed as ignored.
type gozenFile struct {
	Webhooks []Webhook `yaml:"webhooks"`
	Other    Ignored   `yaml:"*" why:"a gozen setting outside webhooks: hooktap ignores it"`
}

// readGozen maps the outgoing alert webhooks to notify.webhooks; the gateway runs in its
// zero-config form (the inspect route) since the file declares no routes.
func readGozen(c *Config, d *decoder, root *yaml.Node, _ string) error {
	var f gozenFile
	errs := d.node(root, reflectValue(&f), "")
	c.Notes = append(c.Notes, d.notes...)
	m := &mapper{c: c, lines: d.lines, file: d.file}
	m.link("notify.webhooks", "webhooks")
	c.Notify.Webhooks = append(c.Notify.Webhooks, f.Webhooks...)
	return errors.Join(errs...)
}
