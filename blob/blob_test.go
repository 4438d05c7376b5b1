package blob

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestPutIsContentAddressedAndOnce(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	data := []byte("劳动合同复印件")
	loc, sum, err := s.Put(data)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(data)
	if want := hex.EncodeToString(h[:]); sum != want || loc != "sha256/"+want[:2]+"/"+want {
		t.Fatalf("loc %s sum %s", loc, sum)
	}
	st, _ := os.Stat(filepath.Join(s.Dir, loc))
	again, _, err := s.Put(data)
	if err != nil || again != loc {
		t.Fatalf("second put: %s %v", again, err)
	}
	st2, _ := os.Stat(filepath.Join(s.Dir, loc))
	if !st.ModTime().Equal(st2.ModTime()) {
		t.Error("the same bytes were written again")
	}
	got, err := s.Read(loc, sum)
	if err != nil || string(got) != string(data) {
		t.Fatalf("read %q %v", got, err)
	}
	f, err := s.Open(loc)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if b, _ := io.ReadAll(f); string(b) != string(data) {
		t.Errorf("open read %q", b)
	}
	leftovers, _ := filepath.Glob(filepath.Join(s.Dir, "sha256", sum[:2], ".tmp-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestReadRefusesTamperedAndEscapingLocations(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	loc, sum, err := s.Put([]byte("notice"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.Dir, loc), []byte("forged"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Read(loc, sum); err == nil {
		t.Error("a blob that does not match its digest was read")
	}
	for _, bad := range []string{"../etc/passwd", "/etc/passwd", "sha256/../../x"} {
		if _, err := s.Open(bad); err == nil {
			t.Errorf("opened %s", bad)
		}
	}
	if _, _, err := (Store{}).Put([]byte("x")); err != ErrNoDir {
		t.Errorf("no dir: %v", err)
	}
}

// TestOlderLayoutsStayReadable: attachments were stored at <2 hex>/<sum> and letters at
// sha256/<2 hex>/<sum>.pdf; rows keep those locations, and they still open.
func TestOlderLayoutsStayReadable(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	for _, loc := range []string{"ab/abcdef", "sha256/ab/abcdef.pdf"} {
		full := filepath.Join(s.Dir, filepath.FromSlash(loc))
		if err := os.MkdirAll(filepath.Dir(full), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := s.Open(loc)
		if err != nil {
			t.Fatalf("%s: %v", loc, err)
		}
		f.Close()
	}
}
