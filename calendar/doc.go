// Package calendar is the mainland-China working-day calendar behind every weiquan deadline
// (CICPA Article 23: 15, 30, 60 and at most 90 working days).
//
// # Model
//
// The source of truth is a github.com/rickar/cal/v2 BusinessCalendar in Asia/Shanghai: each
// statutory day off is a one-day cal.Holiday, and make-up working days (调休上班, a Saturday
// or Sunday that is a working day) come through its WorkdayFunc. When a Calendar is built,
// that BusinessCalendar is asked IsWorkday for every day from 2007-01-01 to 2099-12-31 and the
// answers become an index of cumulative working-day counts, so Due, Before and
// WorkdaysBetween are O(1) and allocate nothing.
//
// The package is pure: no I/O after construction, no clock (callers pass "now"), no
// mutable package state. A *Calendar is immutable and safe for concurrent use; WithYearFile,
// WithDir and WithFS return a new *Calendar.
//
// # Counting rule
//
// The day a period starts from is not counted (Civil Code art. 201): Due(start, n) is the
// n-th working day after start, and the period ends at 24:00 Asia/Shanghai of that day
// (Date.End). Due(start, 0) is start itself.
//
// # Data and statuses
//
// Each covered year has one status:
//   - "official": the State Council notice, as collected by NateScarlet/holiday-cn (MIT,
//     data/LICENSE.holiday-cn), 2007–2026;
//   - "official-unverified": published dates from a secondary source not yet checked against
//     the notice (2027, from the 6tail/lunar-go holiday table); its source field says why;
//   - "provisional": no notice yet (2028–2099). The days off are computed from the
//     statutory holidays in force since 2025 (全国年节及纪念日放假办法 as amended in
//     November 2024): New Year's Day (Jan 1), Spring Festival (lunar New Year's Eve and the
//     1st–3rd of the first lunar month), Qingming (the solar-term day), Labour Day (May 1–2),
//     Dragon Boat (lunar 5/5), Mid-Autumn (lunar 8/15), National Day (Oct 1–3), with lunar
//     dates and the solar term from github.com/6tail/lunar-go. Weekends are off, there are no
//     make-up days, and a holiday on a weekend is not moved to a weekday: each year's notice
//     decides bridges and substitutes, and guessing them would invent working days.
//
// Late December of the last published year is provisional too: the next year's notice can
// still turn one of its weekend days into a make-up working day (the 2019 notice made
// Saturday 2018-12-29 one), so a deadline whose window holds a weekend day from 20 December
// of the last published year on is provisional until the next year is loaded, and its
// explanation says why (UncertainWindow; StatusLateDecember in Caveats).
//
// # Notices
//
// ReadNotice reads the text of a State Council notice (国务院办公厅关于YYYY年部分节假日安排
// 的通知) as published: numbered festival lines with 放假, 放假调休, 补休, 与周末连休 and 上班,
// 星期 or 周, lunar notes in brackets, combined festivals, full-width or ASCII punctuation,
// traditional characters. Notice.YearFile is the year file it makes (status official). It
// checks that every date exists, every weekday note, every 共N天 and that make-up days are
// weekend days, and refuses, naming the line, overlapping festivals, contradictions and any
// line that lists days it cannot read, rather than guess.
//
// Every answer (Deadline, Count, DayInfo) says whether a day it relied on is provisional
// (and whether it is unverified), and carries the calendar Version: "cal-" and the first 8
// hex digits of a SHA-256 over every listed date, its source year and every year's status.
//
// # Year file format
//
// One JSON file per year, named YYYY.json, in the format of holiday-cn:
//
//	{
//	  "year": 2027,
//	  "papers": ["https://www.gov.cn/…"],          // the notice(s); may be empty
//	  "status": "official-unverified",              // optional: "official" or "official-unverified"
//	  "source": "why this data can be trusted",     // optional; defaults to the papers
//	  "days": [
//	    {"name": "春节", "date": "2027-02-05", "isOffDay": true},
//	    {"name": "春节", "date": "2027-02-14", "isOffDay": false}
//	  ]
//	}
//
// isOffDay true is a day off; false is a working day, normally a make-up Saturday or Sunday.
// Without "status", a file with papers is official and one without is official-unverified.
// "$schema" and "$id" are allowed; other unknown fields are refused.
//
// Known quirks of the official data: a notice may list a make-up day of the previous
// December (2018-12-29 is in 2019.json), so all files are loaded before any answer; weekend
// days inside a holiday block are sometimes not listed (they are off anyway, and are shown
// as part of the block); 2020-02-03, a Monday, is listed as a working day because the 2020
// Spring Festival was extended to 02-02.
//
// A year file is refused (an error wrapping ErrBadYearFile; the calendar is unchanged) when
// it does not parse, its year is outside 2007–2099, it lists no days, a date is malformed,
// listed twice or more than a month outside its year, a working day falls on a weekday that
// does not border a listed day off, or it contradicts another year's file about a date.
package calendar
