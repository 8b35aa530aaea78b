from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "carte_blanche.messaging"
    verbose_name = "Messages sortants"

    def ready(self):
        from carte_blanche.messaging.timeline import notification_items
        from carte_blanche.visits.timeline import register

        register(notification_items, kinds={"notification": "Message"})
