# Kedao CRM — `just` lists the recipes.

set dotenv-load := false

export CARGO_BUILD_JOBS := env_var_or_default("CARGO_BUILD_JOBS", "2")
pg_url := env_var_or_default("KEDAO_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
# The benchmark talks to PostgreSQL over loopback, where TLS only costs CPU.
bench_url := env_var_or_default("KEDAO_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432?sslmode=disable")

# List the recipes.
default:
    @just --list

# Build the browser app and the server, start both on http://127.0.0.1:8080 with demo data.
run:
    cargo serve --demo

# Build the browser app's release bundle into frontend/dist (the server serves it at /).
web:
    cargo run --release -p kedao-web -- build

# Run every test (SQLite; PostgreSQL too when KEDAO_TEST_POSTGRES_URL is set).
test:
    cargo test --workspace

# Run every test on SQLite and on the local PostgreSQL.
test-pg:
    KEDAO_TEST_POSTGRES_URL={{pg_url}} cargo test --workspace

# Benchmarks at a million rows on the local PostgreSQL (see README).
bench:
    cargo run --release -p kedao-tests --bin kedao-bench -- --database-url "{{bench_url}}"

# Regenerate the committed OpenAPI document from the code.
openapi:
    cargo run -q -p kedao-api -- openapi > openapi/openapi.json

# Format check and clippy with warnings as errors.
lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings
