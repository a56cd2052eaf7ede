// Registers the User domain's types and root fields on the builder.
import './user-enums.js';
import './user-parts.js';
import './user-type.js';
import './user-queries.js';
import './user-connection.js';
import './user-inputs.js';
import './user-mutations.js';
import './current-user-queries.js';
import './password-reset-mutations.js';
import './user-subscriptions.js';
