package e2e

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/proto"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/codec"
	"github.com/cicpa/weiquan/store/storetest"
	"github.com/cicpa/weiquan/workflows"
)

// Personal data that must never reach Temporal's history in plaintext.
var secrets = map[string]string{
	"member name": "保密测试员", "member number": "990000000123",
	"summary": "SUMMARY-MARKER 离职后被拖欠工资", "counterparty": "COUNTERPARTY-MARKER 事务所",
}

func secretCase() map[string]any {
	return map[string]any{
		"institute": "BJ", "applicant": map[string]string{"member_no": secrets["member number"], "name": secrets["member name"], "kind": "practising"},
		"counterparty": secrets["counterparty"], "category": "labour", "summary": secrets["summary"], "claims": "支付欠薪",
	}
}

func newCodec(t *testing.T, keys ...codec.Key) *codec.Codec {
	t.Helper()
	cd, err := codec.New(keys)
	if err != nil {
		t.Fatal(err)
	}
	return cd
}

// TestPayloadsEncryptedAtRest: a case submitted and decided through the API leaves no
// personal data in the raw history (read by a client without the codec), the codec client
// reads it all, and after a key rotation old cases still run while new payloads use the new
// key; a process without the old key refuses its payloads by name.
func TestPayloadsEncryptedAtRest(t *testing.T) {
	k0, _ := codec.NewKey("k0")
	k1, _ := codec.NewKey("k1")
	st := storetest.SQLite(t)
	raw := dialCodec(t, nsCrypt, nil)
	s, stop := startStack(t, dialCodec(t, nsCrypt, newCodec(t, k0)), st)
	member := s.token(article23.RoleMember, "BJ", secrets["member number"])
	secretary := s.token(article23.RoleSecretary, "BJ", "")
	first := s.call(member, http.MethodPost, "/api/v1/cases", secretCase(), http.StatusCreated)
	stop() // rotate: k1 encrypts from now on, k0 still decrypts

	s, _ = startStack(t, dialCodec(t, nsCrypt, newCodec(t, k1, k0)), st)
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
	s.call(secretary, http.MethodPost, "/api/v1/cases/"+first.Number+"/decision", map[string]any{"decision": "accept", "notice_served_on": today}, http.StatusOK)
	second := s.call(member, http.MethodPost, "/api/v1/cases", secretCase(), http.StatusCreated)
	s.waitStage(member, first.Number, article23.StageAccepted)

	ctx := t.Context()
	h1, h2 := rawHistory(ctx, t, raw, first.Number), rawHistory(ctx, t, raw, second.Number)
	for _, h := range []*historypb.History{h1, h2} {
		b, _ := proto.Marshal(h)
		for what, v := range secrets {
			if bytes.Contains(b, []byte(v)) {
				t.Errorf("%s %q in plaintext in the raw history", what, v)
			}
		}
	}
	if ids := keyIDs(h1); !ids["k0"] || !ids["k1"] {
		t.Errorf("first case's history uses keys %v, want k0 (before rotation) and k1 (after)", ids)
	}
	if ids := keyIDs(h2); len(ids) != 1 || !ids["k1"] {
		t.Errorf("second case's history uses keys %v, want only k1", ids)
	}
	input := h1.Events[0].GetWorkflowExecutionStartedEventAttributes().GetInput()
	var in workflows.CaseInput
	if err := newCodec(t, k1, k0).DataConverter().FromPayloads(input, &in); err != nil || in.Case.Applicant.Name != secrets["member name"] {
		t.Fatalf("codec client cannot read the input: %v %+v", err, in.Case.Applicant)
	}
	err := newCodec(t, k1).DataConverter().FromPayloads(input, &in)
	if !errors.Is(err, codec.ErrUnknownKey) {
		t.Fatalf("a process without k0 decoded its payload or failed unclearly: %v", err)
	}
	t.Logf("without the old key: %v", err)
}

// rawHistory reads a case's history as stored: the client has no codec.
func rawHistory(ctx context.Context, t *testing.T, c client.Client, number string) *historypb.History {
	t.Helper()
	it := c.GetWorkflowHistory(ctx, workflows.CaseWorkflowID(number), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	h := &historypb.History{}
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		h.Events = append(h.Events, e)
	}
	return h
}

// keyIDs collects the encryption-key-id of every encrypted payload in h.
func keyIDs(h *historypb.History) map[string]bool {
	ids := map[string]bool{}
	for _, e := range h.Events {
		b, _ := proto.Marshal(e)
		for _, id := range []string{"k0", "k1"} {
			if bytes.Contains(b, []byte(codec.MetadataKeyID+"\x12\x02"+id)) {
				ids[id] = true
			}
		}
	}
	return ids
}
