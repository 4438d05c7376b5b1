// Package blob keeps file contents (members' attachments, the written notices) under one
// directory, content-addressed: sha256/<first 2 hex>/<64 hex>. A write is atomic and durable
// (a temporary file in the same directory, fsynced, renamed into place, the directory fsynced),
// so a crash leaves either no blob or the whole one, and the same bytes are stored once.
// Locations are relative to the directory and stored with the rows that name them; locations
// written under an older layout stay readable.
package blob

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
)

// Store is a blob directory.
type Store struct {
	Dir string
}

// ErrNoDir is returned when the store has no directory configured.
var ErrNoDir = errors.New("blob: no directory configured (WEIQUAN_BLOB_DIR)")

// Location is where bytes whose SHA-256 is sum (64 hex digits) live, relative to the directory.
func Location(sum string) string { return path.Join("sha256", sum[:2], sum) }

// Put stores data and returns its location and SHA-256 (hex). Bytes already stored are not
// written again.
func (s Store) Put(data []byte) (loc, sum string, err error) {
	if s.Dir == "" {
		return "", "", ErrNoDir
	}
	h := sha256.Sum256(data)
	sum = hex.EncodeToString(h[:])
	loc = Location(sum)
	full := filepath.Join(s.Dir, filepath.FromSlash(loc))
	if _, err := os.Stat(full); err == nil {
		return loc, sum, nil
	}
	if err := write(full, data); err != nil {
		return "", "", fmt.Errorf("blob %s: %w", loc, err)
	}
	return loc, sum, nil
}

// write puts data at full through a synced temporary file and a rename, then syncs the
// directory so the rename itself survives a power loss.
func write(full string, data []byte) error {
	dir := filepath.Dir(full)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		return errors.Join(err, tmp.Close())
	}
	if err := tmp.Sync(); err != nil {
		return errors.Join(err, tmp.Close())
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), full); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}

// Open opens the blob at loc for reading. A location that leaves the directory is refused.
func (s Store) Open(loc string) (*os.File, error) {
	full, err := s.path(loc)
	if err != nil {
		return nil, err
	}
	return os.Open(full)
}

// Read returns the blob at loc, checked against its SHA-256 (hex).
func (s Store) Read(loc, sum string) ([]byte, error) {
	full, err := s.path(loc)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(full)
	if err != nil {
		return nil, err
	}
	if h := sha256.Sum256(b); hex.EncodeToString(h[:]) != sum {
		return nil, fmt.Errorf("blob %s does not match its SHA-256", loc)
	}
	return b, nil
}

func (s Store) path(loc string) (string, error) {
	if s.Dir == "" {
		return "", ErrNoDir
	}
	rel := filepath.FromSlash(loc)
	if !filepath.IsLocal(rel) {
		return "", fmt.Errorf("blob: location %q is outside the directory", loc)
	}
	return filepath.Join(s.Dir, rel), nil
}
