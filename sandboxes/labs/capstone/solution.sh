# Reference solution for the capstone, the database part: create the admin and the app user while
# the server still lets you in; the solution files then apply every other fix.
mongosh mongodb://db.cloudpets.test:27017/admin --quiet --eval 'db.createUser({ user: "admin", pwd: "admin-Long-Passphrase-2017", roles: [{ role: "root", db: "admin" }] })'
mongosh mongodb://db.cloudpets.test:27017/admin --quiet --eval 'db.createUser({ user: "cloudpets-app", pwd: "app-Pa55phrase-2017", roles: [{ role: "readWrite", db: "cloudpets" }] })'
