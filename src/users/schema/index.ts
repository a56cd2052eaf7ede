// Registers the User domain's types and root fields on the builder.
import './user-enums.js';
import './user-parts.js';
import './user-type.js';
import './user-queries.js';
import './user-connection.js';
