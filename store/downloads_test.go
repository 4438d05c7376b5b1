package store

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
)

func TestDownloads(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		li := article23.Actor{ID: "li@BJ", Name: "李秘书", Role: article23.RoleSecretary}
		at := time.Date(2026, 12, 6, 11, 30, 0, 0, time.UTC)
		want := []Download{
			{CaseNumber: "BJ-2026-0001", At: at, Actor: li, FileKind: "attachment", FileID: "a1", FileName: "工资条.pdf"},
			{CaseNumber: "BJ-2026-0001", At: at.Add(time.Minute), Actor: li, FileKind: "document", FileID: "acceptance-3", FileName: "受理通知书.pdf"},
		}
		for _, d := range []Download{want[1], want[0], {CaseNumber: "BJ-2026-0002", At: at, Actor: li, FileKind: "attachment", FileID: "b1", FileName: "x.pdf"}} {
			if err := s.AddDownload(t.Context(), d); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Downloads(t.Context(), "BJ-2026-0001")
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("downloads %+v %v", got, err)
		}
		if err := s.AddDownload(t.Context(), Download{CaseNumber: "BJ-2026-0001", FileID: "a1"}); err == nil {
			t.Fatal("a download without its actor was recorded")
		}
	})
}

// TestDownloadsAtOneInstantKeepTheirOrder: downloads taken at the same instant are listed in
// the order they were taken, not in the order of a random key.
func TestDownloadsAtOneInstantKeepTheirOrder(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		li := article23.Actor{ID: "li@BJ", Name: "李秘书", Role: article23.RoleSecretary}
		at := time.Date(2026, 12, 6, 11, 30, 0, 0, time.UTC)
		var want []string
		for i := range 12 {
			id := fmt.Sprintf("f%02d", i)
			want = append(want, id)
			if err := s.AddDownload(t.Context(), Download{CaseNumber: "BJ-2026-0002", At: at, Actor: li, FileKind: "attachment", FileID: id, FileName: id + ".pdf"}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Downloads(t.Context(), "BJ-2026-0002")
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, d := range got {
			ids = append(ids, d.FileID)
		}
		if !slices.Equal(ids, want) {
			t.Fatalf("order %v, want %v", ids, want)
		}
	})
}
