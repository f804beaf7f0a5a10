# Entry points: `make lab` (start the emulated two-router lab) and `make test` (what CI runs).
# Needs only Python 3.11+ with venv, make and git; everything else goes into $(VENV).

PYTHON ?= python3
VENV ?= .venv
LAB_TOPOLOGY ?= inventories/lab/topology.yml
LAB_STATE ?= .lab

VENV_PYTHON := $(VENV)/bin/python

# Test steps run in this order; add new steps (test-units, test-integration, test-molecule)
# to this list. .NOTPARALLEL keeps the order even under `make -j`.
TEST_STEPS := test-emulator test-sanity test-lint test-units test-integration test-bot test-roles test-molecule test-radius test-monitor-role test-lab-twin

.DEFAULT_GOAL := help
.NOTPARALLEL:
.PHONY: help venv test $(TEST_STEPS) bench-radius bench-site lab lab-stop clean

help:
	@echo 'make lab       start the emulated lab (RTR-1, RTR-2) in the background'
	@echo 'make lab-stop  stop it'
	@echo 'make test      run every test, as CI does ($(TEST_STEPS))'
	@echo 'make clean     remove $(VENV), $(LAB_STATE) and tests/output'

venv: $(VENV)/.stamp

# The lab's packages and the emulator; `make lab` needs no more than this.
$(VENV)/.stamp-lab: requirements/lab.txt lab/pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, but $(PYTHON) is Python " + sys.version.split()[0] + "; run make with PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)
	$(VENV_PYTHON) -m pip install --quiet --upgrade pip
	$(VENV_PYTHON) -m pip install --quiet -r requirements/lab.txt -e lab/
	touch $@

# Everything the tests need, on top of the lab's venv.
$(VENV)/.stamp: $(VENV)/.stamp-lab requirements/test.txt requirements/debian-host.txt requirements/monitor-bot.txt
	$(VENV_PYTHON) -m pip install --quiet -r requirements/test.txt
	touch $@

test: $(TEST_STEPS)

# FreeRADIUS for the subscriber tests (installed as root; exit 3 = SKIP: those tests then skip).
test-emulator: $(VENV)/.stamp
	tests/scripts/ensure-freeradius.sh || [ $$? -eq 3 ]
	$(VENV_PYTHON) -m pytest -q lab/tests

test-sanity: $(VENV)/.stamp
	VENV='$(VENV)' tests/scripts/sanity.sh

# ansible-lint's production profile on roles, playbooks, inventories, molecule scenarios, changelogs.
test-lint: $(VENV)/.stamp
	mkdir -p $(VENV)/collections/ansible_collections/ispkit
	ln -sfn $(CURDIR) $(VENV)/collections/ansible_collections/ispkit/routeros
	@# its own ANSIBLE_HOME: a copy of this collection in ~/.ansible/collections would shadow the tree
	ANSIBLE_COLLECTIONS_PATH='$(abspath $(VENV))/collections' ANSIBLE_HOME='$(abspath $(VENV))/ansible-home' \
		PATH='$(CURDIR)/$(VENV)/bin':"$$PATH" $(VENV)/bin/ansible-lint --offline --profile production -q

test-units: $(VENV)/.stamp
	VENV='$(VENV)' tests/unit/run.sh

test-integration: $(VENV)/.stamp
	$(VENV_PYTHON) -m pytest -q -n 2 tests/integration

# The Debian-side role on a Debian 12 container (root on Linux; prints SKIP with the reason elsewhere).
test-radius: $(VENV)/.stamp
	VENV='$(VENV)' tests/scripts/test-radius-server.sh

test-monitor-role: $(VENV)/.stamp
	VENV='$(VENV)' tests/scripts/test-monitor-bot-role.sh

# The paper's four acceptance tests on the emulated lab, both dialects (tests/lab_twin); the RADIUS
# and bot parts need the Debian 12 container (root on Linux) and print SKIP with the reason elsewhere.
test-lab-twin: $(VENV)/.stamp
	$(VENV_PYTHON) -m pytest -q -rs -s tests/lab_twin

bench-radius: $(VENV)/.stamp
	$(VENV_PYTHON) benchmarks/radius_server/bench.py

# site.yml next to the same configuration as community.routeros.api_modify tasks
# (benchmarks/site/RESULTS.md); the peer comes from the `ansible` package, in a venv of its own.
PEER_VENV ?= $(VENV)/peer
$(PEER_VENV)/.stamp:
	$(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install --quiet "ansible>=12,<13" librouteros==4.2.2
	touch $@

bench-site: $(VENV)/.stamp-lab $(PEER_VENV)/.stamp
	$(VENV_PYTHON) benchmarks/site/bench_site.py --peer-venv $(PEER_VENV) --profile --floor

test-bot: $(VENV)/.stamp
	$(VENV_PYTHON) -m pip install -q -r requirements/monitor-bot.txt -e roles/monitor_bot/files/ispkit_monitor
	$(VENV_PYTHON) -m pytest -q -n 2 tests/monitor_bot

test-roles: $(VENV)/.stamp
	$(VENV_PYTHON) -m pytest -q -n 2 tests/integration_roles

# The router molecule scenarios (dual_isp, subscriber_access, site, drift) on 6.49 and 7.x, each
# version on its own emulated lab on free loopback ports.
test-molecule: $(VENV)/.stamp
	VENV='$(VENV)' tests/scripts/test-molecule.sh

# Start the lab, configure it with site.yml (the collection is found through a link in the lab's
# state directory), show what the routers run, then the paper's acceptance tests on it (as root,
# with FreeRADIUS and the bot on a Debian container; elsewhere the router-only parts).
lab: $(VENV)/.stamp-lab
	$(VENV)/bin/ros-emulator lab $(LAB_TOPOLOGY) --state-dir $(LAB_STATE) --background
	mkdir -p $(LAB_STATE)/collections/ansible_collections/ispkit
	ln -sfn $(CURDIR) $(LAB_STATE)/collections/ansible_collections/ispkit/routeros
	ANSIBLE_COLLECTIONS_PATH=$(abspath $(LAB_STATE))/collections $(VENV)/bin/ansible-playbook -i inventories/lab/hosts.yml playbooks/site.yml --limit routers
	ANSIBLE_COLLECTIONS_PATH=$(abspath $(LAB_STATE))/collections $(VENV)/bin/ansible-playbook -i inventories/lab/hosts.yml playbooks/summary.yml
	$(VENV_PYTHON) tests/lab_twin/acceptance.py --lab $(LAB_STATE)

lab-stop:
	$(VENV)/bin/ros-emulator stop --state-dir $(LAB_STATE)

clean:
	@if [ -x $(VENV)/bin/ros-emulator ] && [ -d $(LAB_STATE) ]; then $(VENV)/bin/ros-emulator stop --state-dir $(LAB_STATE) || true; fi
	rm -rf $(VENV) $(LAB_STATE) tests/output
