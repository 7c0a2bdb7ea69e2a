# Reference solution for the recordings lab: a URL from the database, then the file from the bucket.
url=$(mongosh mongodb://db.cloudpets.test:27017/cloudpets --quiet --eval 'db.recordings.findOne().url' | tail -n 1)
echo "recording URL: $url"
mkdir -p loot
curl -s -o loot/goodnight.wav "$url"
head -c 4 loot/goodnight.wav; echo
