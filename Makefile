# Khabar — the two set-up commands of README.md (`make run`, `make test`) and the rest.
# Both install the system packages Khabar builds against when they are missing.

SWIFT        ?= swift
CONFIG       ?= config/khabar.toml
PACKAGES     := libcurl4-openssl-dev libxml2-dev libsqlite3-dev zlib1g-dev pkg-config iproute2 openssl
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN_DEBUG    := .build/debug/khabar
BIN_RELEASE  := .build/release/khabar

.PHONY: deps build release run test bench clean

## deps: install the missing system packages (apt-get; via sudo only when not root)
deps:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## run: the daemon, in the foreground, on config/khabar.toml (state and corpus under state/)
run: release
	$(BIN_RELEASE) run --config $(CONFIG)

## test: every test suite
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## bench: every benchmark in bench/*.sh, each printing its numbers
bench: release
	@set -e; for b in bench/*.sh; do [ -f "$$b" ] || continue; echo "== $$b"; bash "$$b"; done

clean:
	rm -rf .build
