package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

// SeedOptions sizes a load fixture.
type SeedOptions struct {
	Cases int       // how many cases to add
	Seed  int64     // same seed, same data
	Now   time.Time // cases are received over the two years before Now
}

// seedBatch is the number of cases, and the rows per INSERT, of one seeding transaction.
const seedBatch = 1000

// Seed adds a deterministic, realistic load fixture: cases spread over the institutes (the big
// ones larger), over the two years before Now and over the stages their age makes likely, with
// their clocks and one case_received event each. It writes rows directly, bypassing Record
// and the workflow, and approximates working days by skipping weekends only: it is for
// demos and benchmarks, never for real data. Numbers continue each institute-year's sequence,
// so seeding twice adds cases and ReserveCase continues after them.
func (s *Store) Seed(ctx context.Context, o SeedOptions) error {
	if o.Cases <= 0 || o.Now.IsZero() {
		return fmt.Errorf("seed: want a positive case count and a Now, got %d and %v", o.Cases, o.Now)
	}
	g := &seeder{rnd: rand.New(rand.NewPCG(uint64(o.Seed), 0x77656971)), now: o.Now.UTC(), issued: map[seqKey]int64{}}
	if err := g.loadSequences(s.db.WithContext(ctx)); err != nil {
		return wrap("seed", err)
	}
	for done := 0; done < o.Cases; done += seedBatch {
		b := g.batch(min(seedBatch, o.Cases-done))
		if err := s.transaction(ctx, b.insert); err != nil {
			return wrap(fmt.Sprintf("seed: cases %d–%d", done+1, done+len(b.cases)), err)
		}
	}
	return wrap("seed: sequences", g.saveSequences(s.db.WithContext(ctx)))
}

type seqKey struct {
	Institute string
	Year      int
}

type seeder struct {
	rnd    *rand.Rand
	now    time.Time
	issued map[seqKey]int64
}

type seedRows struct {
	members []memberRow
	cases   []caseRow
	clocks  []clockRow
	events  []eventRow
}

func (b seedRows) insert(tx *gorm.DB) error {
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(b.members, seedBatch).Error; err != nil {
		return err
	}
	for _, rows := range []any{b.cases, b.clocks, b.events} {
		if err := tx.CreateInBatches(rows, seedBatch).Error; err != nil {
			return err
		}
	}
	rollup := newRollupDelta()
	rollup.add(b.clocks, 0, +1) // the fixture has no extensions
	return rollup.apply(tx, rollupDirect)
}

func (g *seeder) loadSequences(db *gorm.DB) error {
	var rows []struct {
		Institute string
		Year      int
		Issued    int64
	}
	if err := db.Table("case_sequences").Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		g.issued[seqKey{r.Institute, r.Year}] = r.Issued
	}
	return nil
}

func (g *seeder) saveSequences(db *gorm.DB) error {
	for k, n := range g.issued {
		err := db.Exec(`INSERT INTO case_sequences (institute, year, issued) VALUES (?, ?, ?)
			ON CONFLICT (institute, year) DO UPDATE SET issued = CASE WHEN excluded.issued > case_sequences.issued
			THEN excluded.issued ELSE case_sequences.issued END`, k.Institute, k.Year, n).Error
		if err != nil {
			return err
		}
	}
	return nil
}

// batch generates n cases with their members, clocks and first event.
func (g *seeder) batch(n int) seedRows {
	var b seedRows
	seen := map[string]bool{}
	for range n {
		c := g.fakeCase()
		if !seen[c.Applicant.MemberNo] {
			seen[c.Applicant.MemberNo] = true
			b.members = append(b.members, memberRow{MemberNo: c.Applicant.MemberNo, Name: c.Applicant.Name, Kind: string(c.Applicant.Kind), UpdatedAt: g.now})
		}
		b.cases = append(b.cases, caseRowFrom(c, logHead{Seq: 1}))
		b.clocks = append(b.clocks, clockRowsFrom(c)...)
		b.events = append(b.events, eventRowFrom(c.Number, article23.Event{Seq: 1, Type: article23.EventReceived, Actor: c.SubmittedBy, At: endOf(c.ReceivedOn).Add(-15 * time.Hour)}, article23.TaskMark{}))
	}
	return b
}

// instituteWeights makes the big institutes carry most cases, as they carry most members.
var instituteWeights = func() []string {
	var w []string
	add := func(code string, n int) {
		for range n {
			w = append(w, code)
		}
	}
	for _, code := range []string{"BJ", "SH", "GD"} {
		add(code, 10)
	}
	add("JS", 8)
	add("ZJ", 8)
	add("SZ", 4)
	for _, code := range []string{"TJ", "HE", "SX", "NM", "LN", "JL", "HL", "AH", "FJ", "JX", "SD", "HA", "HB", "HN", "GX",
		"HI", "CQ", "SC", "GZ", "YN", "XZ", "SN", "GS", "QH", "NX", "XJ", "DL", "QD", "NB", "XM"} {
		add(code, 2)
	}
	add(article23.NationalInstitute, 1)
	return w
}()

var (
	seedSurnames = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"}
	seedGiven    = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "军", "杰"}
	seedParties  = []string{"会计师事务所（特殊普通合伙）", "科技股份有限公司", "市财政局", "投资有限公司", "Holdings Ltd", "Audit & Co"}
	seedCities   = []string{"北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "Harbin", "Xiamen"}
	seedSummary  = []string{
		"前事务所拖欠%d个月工资，离职后拒不支付 unpaid salary",
		"因出具审计报告被上市公司起诉，请求法律援助 lawsuit over audit opinion",
		"执业过程中遭受客户威胁和骚扰 harassment by client, %d incidents",
		"被行政机关不当处罚，申请维权 administrative penalty appeal",
		"事务所违规扣留执业证书%d个月 certificate withheld",
	}
	seedCategories = []string{"labour", "litigation", "harassment", "administrative", "certificate"}
)

// fakeCase draws one case.
func (g *seeder) fakeCase() article23.Case {
	r := g.rnd
	inst := instituteWeights[r.IntN(len(instituteWeights))]
	received := g.now.In(calendar.Shanghai()).AddDate(0, 0, -r.IntN(730))
	year := received.Year()
	g.issued[seqKey{inst, year}]++
	number := FormatCaseNumber(inst, year, g.issued[seqKey{inst, year}])
	topic := r.IntN(len(seedSummary))
	member := fmt.Sprintf("%s%08d", inst, r.IntN(200000))
	c := article23.Case{
		Number: number, Institute: inst,
		Applicant: article23.Applicant{MemberNo: member, Name: seedSurnames[r.IntN(len(seedSurnames))] + seedGiven[r.IntN(len(seedGiven))],
			Kind: []article23.MemberKind{article23.MemberPractising, article23.MemberPractising, article23.MemberNonPractising, article23.MemberFirm}[r.IntN(4)]},
		Counterparty: seedCities[r.IntN(len(seedCities))] + seedParties[r.IntN(len(seedParties))],
		Category:     seedCategories[topic], Summary: fmt.Sprintf(seedSummary[topic], 1+r.IntN(6)),
		Claims: "请求协会协调并出具意见", ReceivedOn: received.Format(time.DateOnly),
		Channel:   []article23.Channel{article23.ChannelOnline, article23.ChannelOnline, article23.ChannelPaper}[r.IntN(3)],
		Secretary: seedSecretary(inst, r.IntN(5)), Policy: article23.DefaultPolicy(),
		SubmittedBy: article23.Actor{ID: member, Role: article23.RoleMember, Institute: inst, MemberNo: member},
		UpdatedAt:   g.now,
	}
	c.Stage = g.stageFor(g.now.Sub(received).Hours() / 24)
	c.Clocks = g.clocksFor(c)
	return c
}

// seedSecretary is one of an institute's four secretaries, or "" (in the institute's queue)
// for one case in five.
func seedSecretary(inst string, n int) string {
	if n == 4 {
		return ""
	}
	return fmt.Sprintf("%s-sec-%d", inst, n)
}
