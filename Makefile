# Vigil: the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash

# Debian packages the build and the tests need (C libraries and real peers).
DEB_PACKAGES := libmicrohttpd-dev libre2-dev libyaml-dev libsqlite3-dev libsnappy-dev libzstd-dev \
	libcurl4-openssl-dev prometheus-node-exporter prometheus prometheus-alertmanager curl

SWIFT ?= swift
RUN_FLAGS ?=

.PHONY: all deps build build-debug run test test-unit test-integration bench clean

all: build

## deps: install missing Debian packages (needs root; does nothing when all are present)
deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

## build: release binary at .build/release/vigil
build: deps
	$(SWIFT) build -c release --product vigil

build-debug: deps
	$(SWIFT) build --build-tests

## run: build and run `vigil run` with the embedded default config (monitors this host on 127.0.0.1:9470)
run: build
	.build/release/vigil run $(RUN_FLAGS)

## test: build and run every test (unit, corpus and integration tests against real peers), one at a time:
## the integration tests block on real processes and the wall-clock tests must not wait behind them
test: build-debug
	VIGIL_BIN=$(CURDIR)/.build/debug/vigil $(SWIFT) test --skip-build --no-parallel

## bench: side-by-side benchmarks (release builds); results go to Benchmarks/results/
bench: deps
	@dpkg-query -W -f='$${Status}' victoria-metrics 2>/dev/null | grep -q "ok installed" || \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends victoria-metrics
	$(SWIFT) build -c release --product vigil
	cd Benchmarks && $(SWIFT) build -c release && ./run.sh

clean:
	rm -rf .build Benchmarks/.build
