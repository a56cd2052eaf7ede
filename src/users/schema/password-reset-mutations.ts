import { builder } from '../../schema/builder.js';
import { emailSchema, lookupValueSchema, passwordSchema, resetMailBodySchema, resetMailSubjectSchema } from '../user-validation.js';

const EmailTemplateInput = builder.inputType('EmailTemplateInput', {
  description: 'The mail to send; `{{token}}`, `{{name}}`, `{{login}}` and `{{email}}` are filled in.',
  fields: (t) => ({
    subject: t.string({ required: false, description: 'Subject line.', validate: { schema: resetMailSubjectSchema } }),
    body: t.string({
      required: false,
      description: 'Plain-text body; must contain `{{token}}`.',
      validate: { schema: resetMailBodySchema },
    }),
  }),
});

builder.mutationFields((t) => ({
  requestPasswordReset: t.boolean({
    nullable: false,
    description: 'Public. Always true, whether or not the email is known; when a live, active user has it, mails a single-use code valid 30 minutes.',
    args: {
      email: t.arg.string({ required: true, description: 'Email of the user.', validate: { schema: emailSchema.pipe(lookupValueSchema) } }),
      template: t.arg({ type: EmailTemplateInput, required: false, description: 'The mail to send instead of the default one.' }),
    },
    resolve: (_root, { email, template }, context) => {
      // Answered before any lookup, so that known and unknown emails take the same time.
      context
        .passwordResets()
        .request(email, template)
        // The caller learns nothing either way; operators do (and /metrics counts mails that could not leave).
        .catch((error: unknown) => context.logger.error({ err: error }, 'password reset request failed: no mail was sent'));
      return true;
    },
  }),
  resetPassword: t.boolean({
    nullable: false,
    description: 'Public. Sets a new password with the code of `requestPasswordReset`, once; a wrong, used or expired code is BAD_USER_INPUT.',
    args: {
      email: t.arg.string({ required: true, description: 'Email of the user.', validate: { schema: lookupValueSchema } }),
      token: t.arg.string({ required: true, description: 'The code received by mail.', validate: { schema: lookupValueSchema } }),
      newPassword: t.arg.string({ required: true, description: 'The new password (at least 8 characters).', validate: { schema: passwordSchema } }),
    },
    resolve: async (_root, { email, token, newPassword }, context) => {
      await context.passwordResets().reset(email, token, newPassword);
      return true;
    },
  }),
}));
