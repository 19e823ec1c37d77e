# Reproducibility suite for the theory of learning in two-layer and deep networks.
# The one entry point; see README.md.  `make help` lists the targets.
#
# Sources are discovered by pattern, so adding a module, a test, a tool or a figure program needs no edit here:
#   common/*.c          -> $(B)/libts.a                 (the shared library)
#   tools/NAME.c        -> $(B)/NAME                    (general command-line programs)
#   papers/P/figN.c     -> $(B)/P/figN                  (one program per paper figure)
#   tests/test_*.c      -> $(B)/tests/test_*            (cmocka unit tests, run by `make check`)
#   bench/bench_*.c     -> $(B)/bench/bench_*           (speed benchmarks, run by `make bench`)

.DELETE_ON_ERROR:
.SUFFIXES:
SHELL := /bin/bash

B ?= bin
MODE ?= fast
ifeq ($(filter $(MODE),fast full smoke),)
$(error MODE must be fast, full or smoke (got '$(MODE)'))
endif

CC      ?= cc
# x86-64-v3 (AVX2+FMA) when the CPU has it; the choice is recorded in every data header (build_flags).
ARCH    ?= $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo 2>/dev/null \
             && $(CC) -march=x86-64-v3 -E -x c /dev/null >/dev/null 2>&1 && echo -march=x86-64-v3)
# Warnings are errors (the suite is built with one known compiler); `make WERROR=` to relax locally.
WERROR  ?= -Werror
CFLAGS  ?= -O2 -g
BASEFLAGS := -MMD -MP -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Wshadow -Wno-unused-parameter $(WERROR) -fopenmp -Icommon $(ARCH)
GIT_DESCRIBE := $(shell git describe --always --dirty --tags 2>/dev/null || echo unknown)
DEFS    := -DTS_GIT_DESCRIBE='"$(GIT_DESCRIBE)"' -DTS_BUILD_FLAGS='"$(strip $(CFLAGS) $(ARCH))"'
LDLIBS  := $(B)/libts.a -lgsl -llapacke -lopenblas -lz -lm -fopenmp

COMMON_SRC := $(wildcard common/*.c)
COMMON_OBJ := $(COMMON_SRC:common/%.c=$(B)/obj/%.o)
TOOLS      := $(patsubst tools/%.c,$(B)/%,$(wildcard tools/*.c))
PAPERS     := $(notdir $(wildcard papers/*))
FIGSRC     := $(wildcard papers/*/fig*.c)
FIGBIN     := $(FIGSRC:papers/%.c=$(B)/%)
TESTS      := $(patsubst tests/%.c,$(B)/tests/%,$(wildcard tests/test_*.c))
BENCHES    := $(patsubst bench/%.c,$(B)/bench/%,$(wildcard bench/bench_*.c))
HEADERS    := $(wildcard common/*.h)

.PHONY: all deps figures check bench paper clean help unit asan smoke
all: deps $(TOOLS) $(FIGBIN)

help:
	@echo "make               build everything into $(B)/"
	@echo "make figures       the main job: every figure, its claims and reports/ (MODE=fast|full)"
	@echo "make check         unit tests (also under ASan+UBSan) and a smoke run of every figure program"
	@echo "make bench         speed benchmarks: per-step times and callgrind instruction counts"
	@echo "make paper P=NAME  one paper ($(PAPERS))"
	@echo "make figures/P/figN.png   one figure program, then its paper's report (MODE=full: figure by figure)"
	@echo "make deps          install the Debian packages (root) or print the apt-get line"

# ---- dependencies: a cheap check, apt-get only when something is missing -----------------------------------------
DEB_PKGS := make gcc libc6-dev zlib1g-dev libgsl-dev liblapacke-dev libopenblas-dev libcmocka-dev gnuplot-nox fonts-dejavu-core fontconfig pkg-config valgrind dataset-fashion-mnist
deps:
	@bash tools/deps.sh $(DEB_PKGS)

# ---- build ----------------------------------------------------------------------------------------------------------
# The `git describe` recorded in every data header comes from ts_util.o: a stamp that changes with it makes a new
# commit (or a dirty tree) rebuild that object and relink every program.
$(B)/.git-describe: FORCE
	@mkdir -p $(@D); echo '$(GIT_DESCRIBE)' | cmp -s - $@ || echo '$(GIT_DESCRIBE)' > $@
$(B)/obj/ts_util.o: $(B)/.git-describe
.PHONY: FORCE
FORCE:

$(B)/obj/%.o: common/%.c $(HEADERS) | deps
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) $(CFLAGS) $(DEFS) -c $< -o $@

$(B)/libts.a: $(COMMON_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(B)/%: tools/%.c $(B)/libts.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) $(CFLAGS) $(DEFS) $< -o $@ $(LDLIBS)

define FIGRULE
$(B)/$(1)/%: papers/$(1)/%.c $$(wildcard papers/$(1)/lib*.c papers/$(1)/*.h papers/$(1)/*.inc) $(B)/libts.a $$(HEADERS)
	@mkdir -p $$(@D)
	$$(CC) $$(BASEFLAGS) $$(CFLAGS) $$(DEFS) -Ipapers/$(1) $$< $$(filter-out $$<,$$(wildcard papers/$(1)/lib*.c)) -o $$@ $$(LDLIBS)
# a benchmark named bench/bench_P_*.c measures paper P's own code: it links papers/P/lib*.c
$(B)/bench/bench_$(1)%: bench/bench_$(1)%.c $$(wildcard papers/$(1)/lib*.c papers/$(1)/*.h) $(B)/libts.a $$(HEADERS)
	@mkdir -p $$(@D)
	$$(CC) $$(BASEFLAGS) $$(CFLAGS) $$(DEFS) -Ipapers/$(1) $$< $$(wildcard papers/$(1)/lib*.c) -o $$@ $$(LDLIBS)
endef
$(foreach p,$(PAPERS),$(eval $(call FIGRULE,$(p))))

$(B)/tests/%: tests/%.c tests/ts_test.h $(B)/libts.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) $(CFLAGS) $(DEFS) -Itests -Ipapers $< $(wildcard tests/$*.extra.c) -o $@ $(LDLIBS) -lcmocka

$(B)/bench/%: bench/%.c $(B)/libts.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) $(CFLAGS) $(DEFS) $< -o $@ $(LDLIBS)

# ---- tests ----------------------------------------------------------------------------------------------------------
# `make check`: warnings are errors; unit tests; the same tests under ASan+UBSan; a smoke run of every figure program.
# `check` first builds everything at this level (so that `make -j2 all check` never builds the same objects twice at
# once), then runs the three stages in order and closes with one line counting every cmocka case and smoke run.
check: all
	@rm -f $(B)/.check-counts
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory smoke
	@awk '{p+=$$1; f+=$$2} END{print "check: " p " passed, " f " failed"; exit f>0}' $(B)/.check-counts

unit: $(TESTS) $(TOOLS)
	@TS_BIN=$(B) TS_LABEL=optimised TS_COUNTS=$(abspath $(B))/.check-counts bash tests/run_unit.sh $(TESTS)

asan: $(TOOLS)
	@$(MAKE) --no-print-directory -f Makefile \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  bin-asan-tests
	@TS_BIN=$(B) TS_LABEL=asan+ubsan TS_COUNTS=$(abspath $(B))/.check-counts bash tests/run_unit.sh $(TESTS:$(B)/tests/%=$(B)/asan/tests/%)

# The ASan build lives in $(B)/asan so that it never mixes with the optimised objects.
ASAN_OBJ := $(COMMON_SRC:common/%.c=$(B)/asan/obj/%.o)
bin-asan-tests: $(TESTS:$(B)/tests/%=$(B)/asan/tests/%)
$(B)/asan/obj/%.o: common/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) $(CFLAGS) $(DEFS) -c $< -o $@
$(B)/asan/libts.a: $(ASAN_OBJ)
	rm -f $@ && ar rcs $@ $^
$(B)/asan/tests/%: tests/%.c tests/ts_test.h $(B)/asan/libts.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) $(CFLAGS) $(DEFS) -Itests -Ipapers $< $(wildcard tests/$*.extra.c) -o $@ \
	  $(B)/asan/libts.a -lgsl -llapacke -lopenblas -lz -lm -fopenmp -lcmocka

smoke: $(TOOLS) $(FIGBIN)
	@B=$(B) TS_COUNTS=$(abspath $(B))/.check-counts bash tests/smoke.sh

# ---- figures and reports ----------------------------------------------------------------------------------------------
# Each paper has papers/P/Makefile.inc listing its figures; tools/figures.sh runs program -> data -> gnuplot -> report.
figures: all
	@bash tools/figures.sh $(MODE) $(PAPERS)

paper: all
	@test -n "$(P)" || { echo "make paper: say which, e.g. make paper P=goldt2020" >&2; exit 2; }
	@test -d "papers/$(P)" || { echo "make paper: no paper '$(P)' (have: $(PAPERS))" >&2; exit 2; }
	@bash tools/figures.sh $(MODE) $(P)

figures/%.png: all
	@bash tools/figures.sh --one $(MODE) $*

bench: all $(BENCHES)
	@bash bench/run.sh $(BENCHES)

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
