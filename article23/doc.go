// Package article23 holds the vocabulary of a rights-protection case under Article 23 of the
// CICPA Member Service Measures: stages, clocks, roles, the institute policy and the case
// snapshot that the workflow publishes and the store persists.
//
// It is pure data: no I/O, no clock, no Temporal, no GORM. Every type here is part of a
// payload contract (workflow input, update arguments, activity inputs, store records), so
// fields are only ever added, never renamed or re-typed; dates are "YYYY-MM-DD" strings in
// Asia/Shanghai and instants are time.Time values kept in UTC inside workflows.
package article23
