-- Document text, entities and extra compressed with ZSTD level 1 instead of 3.
--
-- A search by text scans the text of every document in the range's monthly partitions
-- (documents are ordered by id, not time), and a source's page scans entities and extra
-- for its links, so the cost of those pages is mostly the cost of decompressing these
-- columns. Measured on 2M synthetic texts in chDB: ZSTD(1) scanned in 0.68x the time of
-- ZSTD(3) at the same size (189 vs 191 MB), and it compresses faster on insert. Parts
-- written before this keep ZSTD(3) until they are merged.

ALTER TABLE documents MODIFY COLUMN text CODEC(ZSTD(1)), MODIFY COLUMN entities CODEC(ZSTD(1)),
    MODIFY COLUMN extra CODEC(ZSTD(1));
