// pgvector's part of the schema, which drizzle-kit cannot make conditional: applied after the
// migrations at every open, only where the extension exists (always on PGlite, which bundles it;
// on a Postgres server when it is installed). Idempotent.
//
// Embeddings are stored as real[] on every server (the source of truth, and what the ranking
// without pgvector reads). With pgvector, a generated `vector` column mirrors them, so ranking is
// pgvector's C distance instead of SQL arithmetic, and an HNSW index can be added later for very
// large libraries. The ranking is exact either way, as on the desktop below its index threshold.
export const VECTOR_STEP: readonly string[] = [
  'CREATE EXTENSION IF NOT EXISTS vector',
  'ALTER TABLE smart_embeddings ADD COLUMN IF NOT EXISTS embedding_vec vector GENERATED ALWAYS AS (embedding::vector) STORED',
];
