-- The page layout a letter was rendered with (notify/letter: 1 fonts named /utf8cjk and lines
-- kept from beginning with closing punctuation; 2 subset-tagged font names and Chinese line
-- breaking both ways). Re-rendering a letter uses its layout, so it gives the same bytes.
-- Letters issued before were all rendered in layout 1.
ALTER TABLE documents ADD COLUMN layout integer NOT NULL DEFAULT 1;
