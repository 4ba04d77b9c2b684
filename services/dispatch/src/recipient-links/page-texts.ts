import type { Channel } from '@nudge/contracts';
import type { PageLanguage } from './page-language';

/** A page's heading and its first paragraph. */
interface Notice {
  title: string;
  body: string;
}

/** Everything recipient pages say, in one language. Functions take the words they place. */
export interface PageTexts {
  /** What a recipient calls the messages of a channel ("text messages"). */
  messagesOn: Record<Channel, string>;
  invalidLink: Notice;
  expiredLink: Notice;
  unavailable: Notice;
  /** A POST that is not what the page's form sends: nothing saved. */
  badForm: { title: string; body: (field: string) => string };
  unsubscribe: { title: string; body: (messages: string) => string; button: string };
  unsubscribed: { title: string; body: (messages: string) => string };
  preferences: {
    title: string;
    intro: string;
    topicsLegend: string;
    frequencyLegend: string;
    asTheyCome: string;
    atMostPerWeek: (max: number) => string;
    unsubscribeAll: string;
    unsubscribeAllHint: string;
    /** Shown above the form when no channel has marketing consent. */
    noMarketingNow: string;
    save: string;
  };
  saved: { title: string; body: string; unsubscribedBody: string; changeAgain: string };
}

const en: PageTexts = {
  messagesOn: {
    sms: 'text messages',
    rcs: 'RCS messages',
    whatsapp: 'WhatsApp messages',
    viber: 'Viber messages',
    telegram: 'Telegram messages',
    messenger: 'Messenger messages',
    vk: 'VK messages',
    push: 'notifications',
    webpush: 'browser notifications',
    inapp: 'in-app messages',
    email: 'e-mails',
    webhook: 'messages',
  },
  invalidLink: {
    title: 'This link is not valid',
    body: 'Open the whole link from the message again; if it still does not work, reply to the message or contact us.',
  },
  expiredLink: { title: 'This link has expired', body: 'Use the link of a more recent message, or contact us.' },
  unavailable: { title: 'Please try again', body: 'We could not process your request just now. Please try again in a few minutes.' },
  badForm: {
    title: 'Your choices were not saved',
    body: (field) => `The form did not arrive as the page sent it (field “${field}”). Open the link again and save once more.`,
  },
  unsubscribe: {
    title: 'Unsubscribe?',
    body: (messages) =>
      `You will no longer receive marketing ${messages} from us. Messages about your orders and your account still arrive.`,
    button: 'Unsubscribe',
  },
  unsubscribed: { title: 'You are unsubscribed', body: (messages) => `You will no longer receive marketing ${messages} from us.` },
  preferences: {
    title: 'Your message preferences',
    intro: 'Choose what we send you. Messages about your orders and your account always arrive.',
    topicsLegend: 'Topics',
    frequencyLegend: 'How often',
    asTheyCome: 'As they come',
    atMostPerWeek: (max) => (max === 1 ? 'At most one a week' : `At most ${max} a week`),
    unsubscribeAll: 'Unsubscribe from all marketing',
    unsubscribeAllHint: 'No marketing messages on any channel, whatever you choose above.',
    noMarketingNow: 'You currently receive no marketing messages from us.',
    save: 'Save my choices',
  },
  saved: {
    title: 'Your preferences are saved',
    body: 'Thank you. The next messages we send follow your choices.',
    unsubscribedBody: 'You will receive no marketing messages from us.',
    changeAgain: 'Change my preferences',
  },
};

const es: PageTexts = {
  messagesOn: {
    sms: 'SMS',
    rcs: 'mensajes RCS',
    whatsapp: 'mensajes de WhatsApp',
    viber: 'mensajes de Viber',
    telegram: 'mensajes de Telegram',
    messenger: 'mensajes de Messenger',
    vk: 'mensajes de VK',
    push: 'notificaciones',
    webpush: 'notificaciones del navegador',
    inapp: 'mensajes en la aplicación',
    email: 'correos electrónicos',
    webhook: 'mensajes',
  },
  invalidLink: {
    title: 'Este enlace no es válido',
    body: 'Vuelva a abrir el enlace completo del mensaje; si sigue sin funcionar, responda al mensaje o contáctenos.',
  },
  expiredLink: { title: 'Este enlace ha caducado', body: 'Use el enlace de un mensaje más reciente o contáctenos.' },
  unavailable: {
    title: 'Inténtelo de nuevo',
    body: 'No hemos podido procesar su solicitud en este momento. Inténtelo de nuevo dentro de unos minutos.',
  },
  badForm: {
    title: 'Sus preferencias no se han guardado',
    body: (field) => `El formulario no llegó tal como lo envió la página (campo «${field}»). Vuelva a abrir el enlace y guarde de nuevo.`,
  },
  unsubscribe: {
    title: '¿Darse de baja?',
    body: (messages) => `Ya no recibirá ${messages} comerciales nuestros. Los mensajes sobre sus pedidos y su cuenta seguirán llegando.`,
    button: 'Darme de baja',
  },
  unsubscribed: { title: 'Se ha dado de baja', body: (messages) => `Ya no recibirá ${messages} comerciales nuestros.` },
  preferences: {
    title: 'Sus preferencias de mensajes',
    intro: 'Elija qué le enviamos. Los mensajes sobre sus pedidos y su cuenta siempre llegan.',
    topicsLegend: 'Temas',
    frequencyLegend: 'Con qué frecuencia',
    asTheyCome: 'Según vayan surgiendo',
    atMostPerWeek: (max) => (max === 1 ? 'Como máximo uno por semana' : `Como máximo ${max} por semana`),
    unsubscribeAll: 'Darme de baja de todas las comunicaciones comerciales',
    unsubscribeAllHint: 'Ningún mensaje comercial por ningún canal, elija lo que elija arriba.',
    noMarketingNow: 'Ahora mismo no recibe ningún mensaje comercial nuestro.',
    save: 'Guardar mis preferencias',
  },
  saved: {
    title: 'Sus preferencias se han guardado',
    body: 'Gracias. Los próximos mensajes que le enviemos seguirán sus preferencias.',
    unsubscribedBody: 'No recibirá ningún mensaje comercial nuestro.',
    changeAgain: 'Cambiar mis preferencias',
  },
};

const fr: PageTexts = {
  messagesOn: {
    sms: 'SMS',
    rcs: 'messages RCS',
    whatsapp: 'messages WhatsApp',
    viber: 'messages Viber',
    telegram: 'messages Telegram',
    messenger: 'messages Messenger',
    vk: 'messages VK',
    push: 'notifications',
    webpush: 'notifications du navigateur',
    inapp: 'messages dans l’application',
    email: 'e-mails',
    webhook: 'messages',
  },
  invalidLink: {
    title: 'Ce lien n’est pas valide',
    body: 'Ouvrez à nouveau le lien complet du message ; s’il ne fonctionne toujours pas, répondez au message ou contactez-nous.',
  },
  expiredLink: { title: 'Ce lien a expiré', body: 'Utilisez le lien d’un message plus récent, ou contactez-nous.' },
  unavailable: {
    title: 'Veuillez réessayer',
    body: 'Nous n’avons pas pu traiter votre demande pour le moment. Veuillez réessayer dans quelques minutes.',
  },
  badForm: {
    title: 'Vos choix n’ont pas été enregistrés',
    body: (field) =>
      `Le formulaire n’est pas arrivé tel que la page l’a envoyé (champ « ${field} »). Ouvrez à nouveau le lien et enregistrez encore.`,
  },
  unsubscribe: {
    title: 'Se désabonner ?',
    body: (messages) =>
      `Vous ne recevrez plus de ${messages} à caractère promotionnel de notre part. Les messages concernant vos commandes et votre compte continueront d’arriver.`,
    button: 'Me désabonner',
  },
  unsubscribed: {
    title: 'Vous êtes désabonné',
    body: (messages) => `Vous ne recevrez plus de ${messages} à caractère promotionnel de notre part.`,
  },
  preferences: {
    title: 'Vos préférences de messages',
    intro: 'Choisissez ce que nous vous envoyons. Les messages concernant vos commandes et votre compte arrivent toujours.',
    topicsLegend: 'Sujets',
    frequencyLegend: 'À quelle fréquence',
    asTheyCome: 'Au fil de l’eau',
    atMostPerWeek: (max) => (max === 1 ? 'Au plus un par semaine' : `Au plus ${max} par semaine`),
    unsubscribeAll: 'Me désabonner de toutes les communications promotionnelles',
    unsubscribeAllHint: 'Aucun message promotionnel sur aucun canal, quels que soient vos choix ci-dessus.',
    noMarketingNow: 'Vous ne recevez actuellement aucun message promotionnel de notre part.',
    save: 'Enregistrer mes choix',
  },
  saved: {
    title: 'Vos préférences sont enregistrées',
    body: 'Merci. Les prochains messages que nous enverrons suivront vos choix.',
    unsubscribedBody: 'Vous ne recevrez aucun message promotionnel de notre part.',
    changeAgain: 'Modifier mes préférences',
  },
};

const de: PageTexts = {
  messagesOn: {
    sms: 'SMS',
    rcs: 'RCS-Nachrichten',
    whatsapp: 'WhatsApp-Nachrichten',
    viber: 'Viber-Nachrichten',
    telegram: 'Telegram-Nachrichten',
    messenger: 'Messenger-Nachrichten',
    vk: 'VK-Nachrichten',
    push: 'Benachrichtigungen',
    webpush: 'Browser-Benachrichtigungen',
    inapp: 'In-App-Nachrichten',
    email: 'E-Mails',
    webhook: 'Nachrichten',
  },
  invalidLink: {
    title: 'Dieser Link ist ungültig',
    body: 'Öffnen Sie den vollständigen Link aus der Nachricht erneut; funktioniert er weiterhin nicht, antworten Sie auf die Nachricht oder kontaktieren Sie uns.',
  },
  expiredLink: { title: 'Dieser Link ist abgelaufen', body: 'Verwenden Sie den Link einer neueren Nachricht oder kontaktieren Sie uns.' },
  unavailable: {
    title: 'Bitte versuchen Sie es erneut',
    body: 'Wir konnten Ihre Anfrage gerade nicht bearbeiten. Bitte versuchen Sie es in einigen Minuten erneut.',
  },
  badForm: {
    title: 'Ihre Auswahl wurde nicht gespeichert',
    body: (field) =>
      `Das Formular kam nicht so an, wie die Seite es gesendet hat (Feld „${field}“). Öffnen Sie den Link erneut und speichern Sie noch einmal.`,
  },
  unsubscribe: {
    title: 'Abmelden?',
    body: (messages) =>
      `Sie erhalten von uns keine Werbe-${messages} mehr. Nachrichten zu Ihren Bestellungen und Ihrem Konto erhalten Sie weiterhin.`,
    button: 'Abmelden',
  },
  unsubscribed: { title: 'Sie sind abgemeldet', body: (messages) => `Sie erhalten von uns keine Werbe-${messages} mehr.` },
  preferences: {
    title: 'Ihre Nachrichteneinstellungen',
    intro: 'Wählen Sie, was wir Ihnen senden. Nachrichten zu Ihren Bestellungen und Ihrem Konto kommen immer an.',
    topicsLegend: 'Themen',
    frequencyLegend: 'Wie oft',
    asTheyCome: 'Sobald es etwas gibt',
    atMostPerWeek: (max) => (max === 1 ? 'Höchstens eine pro Woche' : `Höchstens ${max} pro Woche`),
    unsubscribeAll: 'Von allen Werbenachrichten abmelden',
    unsubscribeAllHint: 'Auf keinem Kanal Werbenachrichten, unabhängig von Ihrer Auswahl oben.',
    noMarketingNow: 'Sie erhalten derzeit keine Werbenachrichten von uns.',
    save: 'Auswahl speichern',
  },
  saved: {
    title: 'Ihre Einstellungen sind gespeichert',
    body: 'Vielen Dank. Die nächsten Nachrichten, die wir senden, folgen Ihrer Auswahl.',
    unsubscribedBody: 'Sie erhalten keine Werbenachrichten mehr von uns.',
    changeAgain: 'Einstellungen ändern',
  },
};

const ru: PageTexts = {
  messagesOn: {
    sms: 'SMS',
    rcs: 'RCS-сообщения',
    whatsapp: 'сообщения в WhatsApp',
    viber: 'сообщения в Viber',
    telegram: 'сообщения в Telegram',
    messenger: 'сообщения в Messenger',
    vk: 'сообщения во ВКонтакте',
    push: 'уведомления',
    webpush: 'уведомления в браузере',
    inapp: 'сообщения в приложении',
    email: 'письма',
    webhook: 'сообщения',
  },
  invalidLink: {
    title: 'Эта ссылка недействительна',
    body: 'Откройте ссылку из сообщения целиком ещё раз; если она по-прежнему не работает, ответьте на сообщение или свяжитесь с нами.',
  },
  expiredLink: { title: 'Срок действия ссылки истёк', body: 'Воспользуйтесь ссылкой из более нового сообщения или свяжитесь с нами.' },
  unavailable: { title: 'Попробуйте ещё раз', body: 'Сейчас не удалось обработать ваш запрос. Попробуйте ещё раз через несколько минут.' },
  badForm: {
    title: 'Ваш выбор не сохранён',
    body: (field) =>
      `Форма пришла не в том виде, в каком её отправила страница (поле «${field}»). Откройте ссылку ещё раз и сохраните снова.`,
  },
  unsubscribe: {
    title: 'Отписаться?',
    body: (messages) =>
      `Вы больше не будете получать от нас рекламные ${messages}. Сообщения о ваших заказах и учётной записи будут приходить как прежде.`,
    button: 'Отписаться',
  },
  unsubscribed: { title: 'Вы отписались', body: (messages) => `Вы больше не будете получать от нас рекламные ${messages}.` },
  preferences: {
    title: 'Настройки сообщений',
    intro: 'Выберите, что мы вам присылаем. Сообщения о ваших заказах и учётной записи приходят всегда.',
    topicsLegend: 'Темы',
    frequencyLegend: 'Как часто',
    asTheyCome: 'По мере появления',
    atMostPerWeek: (max) => (max === 1 ? 'Не чаще одного в неделю' : `Не чаще ${max} в неделю`),
    unsubscribeAll: 'Отписаться от всех рекламных сообщений',
    unsubscribeAllHint: 'Никаких рекламных сообщений ни по одному каналу, что бы вы ни выбрали выше.',
    noMarketingNow: 'Сейчас вы не получаете от нас рекламных сообщений.',
    save: 'Сохранить выбор',
  },
  saved: {
    title: 'Настройки сохранены',
    body: 'Спасибо. Следующие сообщения будут приходить в соответствии с вашим выбором.',
    unsubscribedBody: 'Вы не будете получать от нас рекламных сообщений.',
    changeAgain: 'Изменить настройки',
  },
};

/** The message catalogue of recipient pages, one entry per PAGE_LANGUAGES language. */
export const PAGE_TEXTS: Record<PageLanguage, PageTexts> = { en, es, fr, de, ru };
