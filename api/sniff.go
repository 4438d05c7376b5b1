package api

import (
	"archive/zip"
	"bytes"
	"net/http"
	"strings"
)

// Media types of the Office formats, which http.DetectContentType does not tell apart.
const (
	mediaDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	mediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mediaPPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	mediaOLE  = "application/x-ole-storage" // .doc, .xls, .ppt (Compound File Binary)
)

var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// sniff returns the media type of an accepted attachment from its bytes: PDF, JPEG, PNG,
// OOXML (a zip whose parts are those of Word, Excel or PowerPoint) or an OLE compound file.
func sniff(data []byte) (string, bool) {
	switch t := http.DetectContentType(data); t {
	case "application/pdf", "image/jpeg", "image/png":
		return t, true
	case "application/zip":
		return sniffOOXML(data)
	}
	if bytes.HasPrefix(data, oleMagic) {
		return mediaOLE, true
	}
	return "", false
}

// sniffOOXML accepts a zip only if it is an Office Open XML document.
func sniffOOXML(data []byte) (string, bool) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", false
	}
	hasTypes := false
	kind := ""
	for _, f := range zr.File {
		switch {
		case f.Name == "[Content_Types].xml":
			hasTypes = true
		case strings.HasPrefix(f.Name, "word/"):
			kind = mediaDOCX
		case strings.HasPrefix(f.Name, "xl/"):
			kind = mediaXLSX
		case strings.HasPrefix(f.Name, "ppt/"):
			kind = mediaPPTX
		}
	}
	return kind, hasTypes && kind != ""
}
