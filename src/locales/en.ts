import type { LocaleMessages } from './id.js';

export const en: LocaleMessages = {
  meta: { name: 'English' },
  common: {
    error: 'Sorry, something went wrong while handling your message. Nothing from it was saved. Please try again in a moment.',
    unknownText: "Sorry, I didn't understand that. Send /help to see the commands you can use.",
    unknownCommand: 'Unknown command {{command}}. Send /help to see the commands you can use.',
    back: '⬅️ Back',
    cancelled: 'Cancelled. Nothing was saved.',
    nothingToCancel: 'Nothing is in progress.',
    groupOnlyPrivate: 'This command works only in a private chat with the bot.',
  },
  start: {
    greeting:
      'Hello, <b>{{name}}</b>! 👋\n' +
      'Etalase helps Indonesian exporters register products and report stock for export campaigns such as 11.11.\n' +
      "Ministry officials pick a few flagship products whose stock is ready, based on your reports.",
    chooseLanguage: 'Pilih bahasa / Choose a language:',
    nextSteps: 'Send /help to see what you can do.',
  },
  language: {
    prompt: 'Choose your language:',
    changed: 'Language changed to English.',
    unknown: 'That language is not available. Please pick one of the buttons below.',
  },
  help: {
    title: '<b>Etalase commands</b>',
    everyone:
      '/start – start and choose a language\n' +
      '/help – this list\n' +
      '/language – change language\n' +
      '/cancel – leave whatever is in progress',
    exporterTitle: '<b>For exporters</b>',
    exporter: 'Business registration, products and stock reports are coming soon.',
    officialTitle: '<b>For officials</b>',
    official: 'Campaigns, broadcasts and reviews are coming soon.',
    adminTitle: '<b>For admins</b>',
    admin: 'Managing officials is coming soon.',
  },
  commands: {
    start: 'Start',
    help: 'List of commands',
    language: 'Change language',
    cancel: 'Cancel what is in progress',
  },
};
