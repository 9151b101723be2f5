# Khabar — the two set-up commands of README.md (`make run`, `make test`) and the rest.
# Both install the system packages Khabar builds against when they are missing.

SWIFT        ?= swift
CONFIG       ?= config/khabar.toml
PACKAGES     := libcurl4-openssl-dev libxml2-dev libsqlite3-dev zlib1g-dev libpsl-dev pkg-config iproute2 openssl time
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN_DEBUG    := .build/debug/khabar
BIN_RELEASE  := .build/release/khabar

PREFIX       ?= /usr/local
DESTDIR      ?=
BINDIR       := $(PREFIX)/bin
SYSCONFDIR   ?= /etc
UNITDIR      ?= /etc/systemd/system
STATEDIR     ?= /var/lib

.PHONY: deps build release run test chaos soak bench clean install uninstall fuzz

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

## test: every test suite, in four passes: the unit suites (CPU-heavy, in parallel), then the
## network suites, the end-to-end suites of the real binary, and the reliability suite (chaos,
## SIGKILLs, fault endpoints; docs/reliability.md), whose time bounds must not compete with the
## CPU-heavy ones for the machine's cores.
TIMED_SUITES := KhabarHTTPTests|KhabarCLITests|KhabarDaemonTests|KhabarReliabilityTests
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip '$(TIMED_SUITES)'
	$(SWIFT) test --skip-build --filter KhabarHTTPTests
	$(SWIFT) test --skip-build --filter 'KhabarCLITests|KhabarDaemonTests'
	$(SWIFT) test --skip-build --filter KhabarReliabilityTests

## chaos: the long chaos test (CHAOS_SECONDS of a misbehaving site and random SIGKILLs; the short
## version runs in `make test`). CHAOS_SEED=N replays a run (docs/reliability.md).
CHAOS_SECONDS ?= 300
chaos: deps
	$(SWIFT) build --build-tests
	CHAOS_SECONDS=$(CHAOS_SECONDS) $(SWIFT) test --skip-build --filter ChaosTests

## soak: the daemon through SOAK_CYCLES poll cycles (10,000), its RSS and descriptors sampled
## from /proc; `make test` runs the short version (400). docs/reliability-faults.md.
SOAK_CYCLES ?= 10000
soak: deps
	$(SWIFT) build --build-tests
	SOAK_CYCLES=$(SOAK_CYCLES) $(SWIFT) test --skip-build --filter 'KhabarReliabilityTests.SoakTests'

## bench: every benchmark in bench/*.sh, each printing its numbers
bench: release
	@set -e; for b in bench/*.sh; do [ -f "$$b" ] || continue; echo "== $$b"; bash "$$b"; done

## fuzz: every libFuzzer target for FUZZ_SECONDS seconds each (see Fuzz/README.md)
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash Fuzz/run.sh

clean:
	rm -rf .build .build-fuzz

## install: the release binary, the systemd unit, /etc/khabar/khabar.toml (never overwritten) and the
## state directory (/var/lib/khabar, the DynamicUser layout systemd itself uses).
install: release
	install -D -m 0755 $(BIN_RELEASE) $(DESTDIR)$(BINDIR)/khabar
	install -d -m 0755 $(DESTDIR)$(UNITDIR)
	sed 's|^ExecStart=/usr/local/bin/khabar|ExecStart=$(BINDIR)/khabar|' config/khabar.service > $(DESTDIR)$(UNITDIR)/khabar.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/khabar.service
	install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/khabar
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/khabar/khabar.toml ]; then \
	  echo "keeping the existing $(DESTDIR)$(SYSCONFDIR)/khabar/khabar.toml"; \
	else \
	  install -m 0644 config/khabar.toml $(DESTDIR)$(SYSCONFDIR)/khabar/khabar.toml; \
	fi
	install -d -m 0700 $(DESTDIR)$(STATEDIR)/private
	install -d -m 0750 $(DESTDIR)$(STATEDIR)/private/khabar
	@[ -e $(DESTDIR)$(STATEDIR)/khabar ] || ln -s private/khabar $(DESTDIR)$(STATEDIR)/khabar
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "installed; start with: systemctl enable --now khabar"

## uninstall: what install added — never the corpus or the state, and the configuration only when
## it is still the shipped one.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/khabar $(DESTDIR)$(UNITDIR)/khabar.service
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/khabar/khabar.toml ] && cmp -s config/khabar.toml $(DESTDIR)$(SYSCONFDIR)/khabar/khabar.toml; then \
	  rm -f $(DESTDIR)$(SYSCONFDIR)/khabar/khabar.toml; rmdir $(DESTDIR)$(SYSCONFDIR)/khabar 2>/dev/null || true; \
	elif [ -e $(DESTDIR)$(SYSCONFDIR)/khabar/khabar.toml ]; then \
	  echo "keeping the edited $(DESTDIR)$(SYSCONFDIR)/khabar/khabar.toml"; \
	fi
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "uninstalled; the corpus and state in $(DESTDIR)$(STATEDIR)/khabar are kept"
