/** The notification bell's documents, and the administrators' view of the mail outbox. */
import { graphql } from '../graphql.js';

export const NotificationFields = graphql(`
  fragment NotificationFields on Notification { id kind title body link createdAt readAt }
`);

export const NotificationsQuery = graphql(`
  query Notifications($unreadOnly: Boolean, $limit: Int!) {
    notifications(unreadOnly: $unreadOnly, limit: $limit) { ...NotificationFields }
    unreadNotificationCount
  }
`, [NotificationFields]);

export const MarkNotificationsReadMutation = graphql(`
  mutation MarkNotificationsRead($ids: [ID!]) { markNotificationsRead(ids: $ids) }
`);

/** No variables: client/src/api.ts's `subscribe` sends a bare query. */
export const NotificationAddedSubscription = graphql(`
  subscription NotificationAdded { notificationAdded { ...NotificationFields } }
`, [NotificationFields]);

export const MailOutboxQuery = graphql(`
  query MailOutbox($status: MailStatus, $failing: Boolean, $limit: Int!) {
    mailOutbox(status: $status, failing: $failing, limit: $limit) {
      id recipient subject status attempts nextAttemptAt lastError createdAt sentAt
    }
  }
`);
