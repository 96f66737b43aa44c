# corphub — the commands in README.md. `make run` and `make test` install what is missing first.
SHELL := /bin/bash
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
WERROR ?= OFF

.PHONY: run test build web deps test-deps configure bench fuzz fmt lint clean

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh build test

$(BUILD)/build.ninja:
	cmake -G Ninja -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCORPHUB_WERROR=$(WERROR) \
	  -DCORPHUB_BENCH=ON

configure: $(BUILD)/build.ninja

## build: the server binary at build/corphub
build: deps configure
	ninja -C $(BUILD) -j $(JOBS) corphub

## web: the member client and admin console into web/dist
web: deps
	@scripts/build-web.sh

## run: build everything and start corphub on SQLite under ./data
run: build web
	./$(BUILD)/corphub serve --data ./data

## test: every suite — unit, storage (SQLite and PostgreSQL), functional, browser
test: test-deps configure web
	ninja -C $(BUILD) -j $(JOBS)
	@scripts/test-all.sh $(BUILD)

## bench: /healthz next to a bare Beast server, then the directory (100k import, user/list of a
## 10k department), the console (import, search, export of 100k) and messaging (sends, a 100k
## fan-out to 10k open streams, idle streams' memory) and callbacks delivered per second on SQLite and, with BENCH_POSTGRES_URL
## set, PostgreSQL (bench/results/)
bench: test-deps configure
		ninja -C $(BUILD) -j $(JOBS) corphub beast_baseline ws_fanout
	@bench/run.sh $(BUILD)
	@python3 bench/directory_bench.py $(BUILD)
	@python3 bench/console_bench.py $(BUILD)
	@python3 bench/message_bench.py $(BUILD)
	@python3 bench/callback_bench.py $(BUILD)
	@if [ -n "$(BENCH_POSTGRES_URL)" ]; then \
	  python3 bench/directory_bench.py $(BUILD) --postgres "$(BENCH_POSTGRES_URL)" $(BENCH_PG_ARGS); \
	  	  python3 bench/console_bench.py $(BUILD) --postgres "$(BENCH_POSTGRES_URL)" $(BENCH_PG_ARGS); \
	  python3 bench/message_bench.py $(BUILD) --postgres "$(BENCH_POSTGRES_URL)"; \
	  python3 bench/callback_bench.py $(BUILD) --postgres "$(BENCH_POSTGRES_URL)"; fi

## fuzz: the libFuzzer targets of tests/fuzz, built in build-fuzz/ with clang, FUZZ_SECONDS
## (default 20) each
fuzz:
	@scripts/install-deps.sh build test
	@scripts/fuzz.sh

## fmt: clang-format every C++ file in place (installs clang-format first when missing)
fmt:
	@scripts/install-deps.sh dev
	@git ls-files --cached --others --exclude-standard '*.cpp' '*.hpp' | xargs clang-format -i --style=file

lint: configure
	@scripts/install-deps.sh dev
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror --style=file
	@git ls-files 'src/*.cpp' | xargs clang-tidy -p $(BUILD) --quiet

clean:
	rm -rf $(BUILD)
