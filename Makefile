# motcua: the single command surface. `make run` to try it, `make test` to check it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
SHARED ?= ../shared/data

.PHONY: run setup test test-postgres browsers bench eval lint openapi messages clean

run: setup
	$(BIN)/motcua migrate --noinput
	$(BIN)/motcua demo load
	$(BIN)/motcua run

setup: $(STAMP) messages

$(STAMP): pyproject.toml
	@scripts/system-deps.sh run
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

# Compiled translations are build output (git-ignored), made from the committed .po files.
messages: $(STAMP)
	@cd src/motcua && ../../$(BIN)/motcua compilemessages --verbosity 0

browsers:
	@scripts/system-deps.sh test

test: setup browsers
	$(BIN)/pytest

test-postgres: setup browsers
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

bench: setup
	$(BIN)/python bench/catalogue.py $(SHARED)/procedures/dvc_procedures_6ministries.jsonl
	$(BIN)/python bench/dossiers.py
	$(BIN)/python bench/dossiers.py --database-url $(PG_URL)
	$(BIN)/python bench/backup.py --dossiers 100000
	$(BIN)/python bench/serving.py
	$(BIN)/python bench/index.py
	$(BIN)/python bench/knowledge.py --embedder none
	$(BIN)/python bench/knowledge.py --procedures 40 --articles 60
	$(BIN)/python bench/embedding.py --data $(SHARED) --threads 2
	$(BIN)/python bench/index_postgres.py --chunks 1000000
	$(BIN)/python bench/precheck.py
	$(BIN)/python bench/precheck.py --national
	$(BIN)/python bench/assistant.py $(SHARED)/procedures/dvc_procedures_6ministries.jsonl --embedder none

eval: setup
	$(BIN)/python bench/dvc_parse.py $(SHARED)/procedures/dvc_procedures_6ministries.jsonl
	$(BIN)/motcua eval retrieval --corpus $(SHARED)/legal/alqac2022_corpus.jsonl \
	  --questions $(SHARED)/legal/alqac2022_questions.jsonl --mode all
	$(BIN)/python bench/assistant.py $(SHARED)/procedures/dvc_procedures_6ministries.jsonl --eval --rounds 1 --embedder none
	MOTCUA_ASSISTANT_GLOSSARY=false $(BIN)/python bench/assistant.py $(SHARED)/procedures/dvc_procedures_6ministries.jsonl \
	  --questions bench/assistant/crosslingual.jsonl --name "assistant crosslingual bm25 no glossary" --eval --rounds 1 --embedder none
	MOTCUA_ASSISTANT_GLOSSARY=false MOTCUA_EMBEDDER_PASSAGE_TOKENS=64 $(BIN)/python bench/assistant.py \
	  $(SHARED)/procedures/dvc_procedures_6ministries.jsonl --data-dir var/bench-assistant-dense \
	  --questions bench/assistant/crosslingual.jsonl --name "assistant crosslingual hybrid-64 no glossary" --eval --rounds 1

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

openapi: setup
	$(BIN)/motcua spectacular --lang en --file src/motcua/api/openapi.yaml --validate

clean:
	rm -rf $(VENV) var
