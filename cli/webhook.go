package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/mask"
	"github.com/hooktap/hooktap/signature"
	"github.com/hooktap/hooktap/subscription"
)

func newWebhookCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "webhook",
		Short: "Manage dynamic routes (subscriptions) without restarting the gateway",
		Long: "Dynamic routes live in <data dir>/subscriptions.json. A running gateway picks up changes\n" +
			"within a second; a static route in config.yaml with the same name wins.",
	}
	cmd.AddCommand(newSubscribeCmd(e), newWebhookListCmd(e), newWebhookRemoveCmd(e), newWebhookTestCmd(e))
	return cmd
}

func (e *env) subscriptions() (*subscription.File, error) {
	cfg, err := e.config()
	if err != nil {
		return nil, err
	}
	return subscription.Open(cfg.SubscriptionsPath()), nil
}

func (e *env) listSubscriptions() ([]subscription.Subscription, error) {
	subs, err := e.subscriptions()
	if err != nil {
		return nil, err
	}
	return subs.List()
}

func newSubscribeCmd(e *env) *cobra.Command {
	var s subscription.Subscription
	var events string
	cmd := &cobra.Command{
		Use:   "subscribe NAME",
		Short: "Add or replace a dynamic route",
		Example: "  hooktap webhook subscribe github-issues --events issues \\\n" +
			"    --prompt 'New issue #{issue.number}: {issue.title}' --description 'Triage new issues'",
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			s.Name, s.Events, s.CreatedAt = args[0], splitList(events), time.Now().UTC()
			return subscribe(e, s)
		},
	}
	f := cmd.Flags()
	f.StringVar(&events, "events", "", "comma-separated event types to accept (empty: all)")
	f.StringVar(&s.Prompt, "prompt", "", "template rendered from the payload ({a.b.c} dot paths)")
	f.StringVar(&s.Deliver, "deliver", "log", "log|forward|slack|discord|generic")
	f.StringVar(&s.DeliverURL, "deliver-url", "", "target URL for forward/slack/discord/generic")
	f.StringVar(&s.Description, "description", "", "what the route is for")
	f.StringVar(&s.Secret, "secret", "", "signing secret (default: a new random one, printed once); INSECURE_NO_AUTH for an unverified test route")
	f.StringVar(&s.Verify, "verify", "", "signature scheme to accept (github, stripe, hmac, …; default: the scheme of the first verified delivery, pinned)")
	return cmd
}

func subscribe(e *env, s subscription.Subscription) error {
	generated := s.Secret == ""
	if generated {
		secret, err := subscription.NewSecret()
		if err != nil {
			return err
		}
		s.Secret = secret
	}
	if err := s.RequireSecret(); err != nil {
		return usageError(err)
	}
	if err := s.Validate(); err != nil {
		return usageError(err)
	}
	subs, err := e.subscriptions()
	if err != nil {
		return err
	}
	if err := subs.Add(s); err != nil {
		return err
	}
	cfg, _ := e.config()
	fmt.Fprintf(e.stdout, "subscribed %s: POST %s/webhooks/%s\n", s.Name, gatewayURL(cfg), s.Name)
	if _, static := cfg.Route(s.Name); static {
		fmt.Fprintf(e.stderr, "note: config.yaml has a route named %s; it wins over this subscription\n", s.Name)
	}
	if generated {
		fmt.Fprintf(e.stdout, "secret (shown once; sign with HMAC-SHA256): %s\n", s.Secret)
	}
	return nil
}

func newWebhookListCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List dynamic routes",
		Example: "  hooktap webhook list\n  hooktap webhook list --json",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			list, err := e.listSubscriptions()
			if err != nil {
				return err
			}
			return printSubscriptions(e, list, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (secrets masked)")
	return cmd
}

func printSubscriptions(e *env, list []subscription.Subscription, asJSON bool) error {
	for i := range list {
		list[i].Secret = mask.Value(list[i].Secret)
		list[i].DeliverURL = mask.URL(list[i].DeliverURL)
	}
	if asJSON {
		if list == nil {
			list = []subscription.Subscription{}
		}
		return json.NewEncoder(e.stdout).Encode(list)
	}
	if len(list) == 0 {
		fmt.Fprintln(e.stdout, "no subscriptions: add one with `hooktap webhook subscribe NAME --events …`")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tEVENTS\tDELIVER\tSECRET\tDESCRIPTION")
	for _, s := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Name, orDash(strings.Join(s.Events, ",")), orDash(s.Deliver), s.Secret, s.Description)
	}
	return tw.Flush()
}

func newWebhookRemoveCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:     "remove NAME",
		Short:   "Remove a dynamic route",
		Example: "  hooktap webhook remove github-issues",
		Args:    cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			subs, err := e.subscriptions()
			if err != nil {
				return err
			}
			found, err := subs.Remove(args[0])
			if err != nil {
				return err
			}
			if !found {
				return fmt.Errorf("no subscription named %q (see `hooktap webhook list`)", args[0])
			}
			fmt.Fprintf(e.stdout, "removed %s\n", args[0])
			unpinRemoved(e, args[0])
			return nil
		},
	}
}

func newWebhookTestCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:     "test NAME",
		Short:   "Send a signed sample event to the running gateway and show the answer",
		Example: "  hooktap webhook test github-issues",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return testSubscription(e, args[0])
		},
	}
}

// testSubscription signs a sample with the subscription's secret (hmac scheme) and posts it.
func testSubscription(e *env, name string) error {
	list, err := e.listSubscriptions()
	if err != nil {
		return err
	}
	s, ok := findSubscription(list, name)
	if !ok {
		return fmt.Errorf("no subscription named %q (see `hooktap webhook list`)", name)
	}
	event := "test"
	if len(s.Events) > 0 {
		event = s.Events[0]
	}
	body, _ := json.Marshal(map[string]any{"event": event, "test": true, "subscription": name,
		"sent_at": time.Now().UTC().Format(time.RFC3339)})
	cfg, _ := e.config()
	return postSigned(e, cfg, name, event, s.Verify, s.Secret, body)
}

// postSigned signs body for the route's scheme (hmac when the route does not pin one) and posts it.
func postSigned(e *env, cfg *config.Config, name, event, scheme, secret string, body []byte) error {
	url := config.RouteURL(gatewayURL(cfg), name)
	if scheme == "" {
		scheme = "hmac"
	}
	h, err := signature.Sign(scheme, signature.SignInput{Method: http.MethodPost, URL: url, Body: body, Secret: secret})
	if err != nil {
		return err
	}
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Event-Type", event)
	req.Header.Set("User-Agent", "hooktap-webhook-test")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return fmt.Errorf("gateway not reachable at %s: %w (is `hooktap serve` running?)", gatewayURL(cfg), err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	fmt.Fprintf(e.stdout, "POST %s → %s\n%s\n", url, resp.Status, strings.TrimSpace(string(answer)))
	if resp.StatusCode >= 300 {
		return silentFailure
	}
	return nil
}

func findSubscription(list []subscription.Subscription, name string) (subscription.Subscription, bool) {
	for _, s := range list {
		if s.Name == name {
			return s, true
		}
	}
	return subscription.Subscription{}, false
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// unpinRemoved forgets the scheme a removed subscription was pinned to, so a new route of the same
// name starts afresh; with no store yet there is nothing to forget.
func unpinRemoved(e *env, name string) {
	cfg, err := e.config()
	if err != nil {
		return
	}
	if _, static := cfg.Route(name); static {
		return // the config route of that name keeps its pin
	}
	st, err := openExistingStore(cfg)
	if err != nil {
		return
	}
	defer st.Close()
	if _, err := st.UnpinRoute(context.Background(), name); err != nil {
		fmt.Fprintf(e.stderr, "note: %v\n", err)
	}
}
