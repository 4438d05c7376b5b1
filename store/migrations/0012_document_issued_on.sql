-- A letter is dated the day of its act (a decision recorded on Monday with Friday's notice
-- date is dated Friday), which may precede the day it was generated: the served date is
-- checked against this date. '' for letters issued before (their creation day stands in).
ALTER TABLE documents ADD COLUMN issued_on text NOT NULL DEFAULT '';
