package store

import (
	"context"
	"database/sql"

	"gorm.io/gorm"
)

// GORM's PrepareStmt (on for SQLite: its parser took 13 % of an intake bench's CPU) prepares
// a statement first met inside a transaction on that transaction. database/sql closes such a
// statement at commit, and every later transaction then prepares it again (Tx.StmtContext on
// a closed statement): almost every write of the store is in a transaction, so a third of
// Record's SQLite time went to preparing (docs/BENCHMARKS.md). poolPreparing makes GORM's
// transactions prepare on the pool instead: the statement outlives the transaction, and
// database/sql keeps it prepared on each connection it was used on.

// poolPreparing is the *sql.DB under GORM's prepared-statement cache; its transactions are
// txPreparingOnPool.
type poolPreparing struct{ *sql.DB }

// GetDBConn gives GORM the *sql.DB (db.DB()).
func (p poolPreparing) GetDBConn() (*sql.DB, error) { return p.DB, nil }

// BeginTx begins a transaction that prepares its statements on the pool.
func (p poolPreparing) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	tx, err := p.DB.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &txPreparingOnPool{Tx: tx, db: p.DB}, nil
}

// txPreparingOnPool is a transaction whose PrepareContext prepares on the pool; GORM then
// binds the statement to the transaction with StmtContext.
type txPreparingOnPool struct {
	*sql.Tx
	db *sql.DB
}

// PrepareContext prepares query on the pool, or on the transaction when only the
// transaction can (SQLite checks the tables a statement names as it prepares it: a migration
// names those it has just created, uncommitted).
func (t *txPreparingOnPool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, err := t.db.PrepareContext(ctx, query); err == nil {
		return st, nil
	}
	return t.Tx.PrepareContext(ctx, query)
}

// preparedOnPool makes db's prepared-statement cache prepare transactions' statements on the
// pool (see above). It needs a second connection while a transaction holds one, so a pool of
// one (SQLite :memory:) keeps GORM's way.
func preparedOnPool(db *gorm.DB, sqlDB *sql.DB) {
	if p, ok := db.ConnPool.(*gorm.PreparedStmtDB); ok && sqlDB.Stats().MaxOpenConnections > 1 {
		p.ConnPool = poolPreparing{sqlDB}
	}
}
