// Package wire holds the bodies of weiquan's HTTP API: what api serves and reads, and what the
// web console decodes and sends. One declaration a body, so a field added for the server is
// there for the console too; api/openapi.json describes the same bodies to other clients.
//
// Responses show dates as YYYY-MM-DD and instants in RFC 3339 at +08:00 (Asia/Shanghai),
// the time zone every Article 23 period is counted in. wire imports only article23 and
// calendar: the console links it without the server.
package wire
