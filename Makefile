# Pitstop. `make run` and `make test` are all a user needs; everything else is a step of those.
SHELL := /bin/sh
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PITSTOP := $(BUILD)/pitstop

.PHONY: run test deps deps-test deps-bench build web migrate seed serve fuzz bench bench-quick clean help

help:
	@echo "make run          install what is missing, build, migrate, load demo data, serve http://127.0.0.1:8080"
	@echo "make test         build and run every test (unit, API on SQLite and PostgreSQL, sanitizers, fuzz, browser)"
	@echo "make fuzz         run the libFuzzer targets for longer (FUZZ_SECONDS=60 each)"
	@echo "make bench        full benchmark (docs/PERFORMANCE.md); make bench-quick: the short one"

deps:
	@./scripts/deps.sh run
deps-test:
	@./scripts/deps.sh test
deps-bench:
	@./scripts/deps.sh bench

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

# The front end: npm ci installs exactly the locked packages; vite builds into web/dist.
web:
	@if [ -f web/package.json ]; then \
	  cd web && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; } && npm run build; \
	else echo "web: no front end yet"; fi

migrate: build
	$(PITSTOP) migrate

seed: migrate
	$(PITSTOP) import-dtc || true
	$(PITSTOP) seed demo --providers 300 || true

serve:
	$(PITSTOP) serve

run: deps build web seed serve

test: deps-test build
	./tests/run.sh all

fuzz: deps-test
	FUZZ_SECONDS=$${FUZZ_SECONDS:-60} ./tests/run.sh fuzz

bench: deps-bench
	./bench/run.sh full

bench-quick: deps-bench
	./bench/run.sh quick

clean:
	rm -rf $(BUILD) build-asan build-fuzz web/dist
