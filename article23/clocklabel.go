package article23

// ClockLabel is how people name a clock: every page, notification, letter, calendar feed and
// report takes its words from ClockLabels, so a clock is called the same wherever it shows.
type ClockLabel struct {
	Zh, En     string // the stage the clock times, as lists and tables name it
	DeadlineZh string // its deadline, as notifications and calendar entries name it
	Act        string // what the institute undertakes by the deadline, as a letter to the member says it
}

// ClockLabels names every clock of ClockNames.
var ClockLabels = map[ClockName]ClockLabel{
	ClockDecision: {Zh: "受理决定", En: "Decision", DeadlineZh: "受理决定期限",
		Act: "作出受理或者不予受理的决定"},
	ClockCommittee: {Zh: "委员会会议", En: "Committee meeting", DeadlineZh: "委员会会议期限",
		Act: "召开法律援助与权益保护委员会会议并形成专家意见"},
	ClockFeedback: {Zh: "反馈会员", En: "Feedback", DeadlineZh: "反馈期限",
		Act: "向您反馈意见"},
	ClockCap: {Zh: "延长上限", En: "Extension cap", DeadlineZh: "延长上限",
		Act: "延长后的最长期限"},
}

// Label is clock n's name in lang ("en"; anything else is Chinese), or n itself for a name
// that is no clock.
func (n ClockName) Label(lang string) string {
	l, ok := ClockLabels[n]
	switch {
	case !ok:
		return string(n)
	case lang == "en":
		return l.En
	}
	return l.Zh
}

// DeadlineLabel is the Chinese name of clock n's deadline, or n itself for a name that is
// no clock.
func (n ClockName) DeadlineLabel() string {
	if l, ok := ClockLabels[n]; ok {
		return l.DeadlineZh
	}
	return string(n)
}

// ActLabel is what a letter says the institute undertakes by clock n's deadline, or n itself
// for a name that is no clock.
func (n ClockName) ActLabel() string {
	if l, ok := ClockLabels[n]; ok {
		return l.Act
	}
	return string(n)
}
