import type { MessageSchema } from './zh-CN'

const en: MessageSchema = {
  lang: {
    label: 'Language',
  },
  member: {
    title: 'corphub',
    welcome:
      "Welcome! Your organisation's messages, its internal systems and your colleagues, all in one place.",
  },
  admin: {
    title: 'corphub Admin Console',
    menuToggle: 'Open menu',
    menuTitle: 'Navigation',
    menu: {
      overview: 'Overview',
      directory: 'Directory',
      apps: 'Apps',
      messages: 'Messages',
      administrators: 'Administrators',
    },
    comingSoon: 'Coming soon',
    overviewIntro:
      'This is where you will manage the directory, apps, message push and administrator rights.',
  },
  notFound: {
    title: 'Page not found',
    detail: 'There is no page at {path}.',
    home: 'Back to home',
  },
  status: {
    title: 'Server status',
    checking: 'Checking…',
    operational: 'Operational',
    unavailable: 'Unavailable',
    state: 'Status',
    version: 'Version',
    storage: 'Storage',
    storageOk: 'OK',
    storageDown: 'Down',
    uptime: 'Uptime',
    checkedAt: 'Checked at {time}',
    retry: 'Retry',
    refresh: 'Refresh',
    errorTitle: 'Could not get the server status',
    error: {
      network: 'Could not reach the server. Check your connection and try again.',
      timeout: 'The server did not answer in time. Try again shortly.',
      http: 'The server returned an error (HTTP {status}).',
      parse: 'The server sent a response that could not be read.',
    },
    backend: {
      sqlite: 'SQLite',
      postgres: 'PostgreSQL',
    },
  },
  uptime: {
    seconds: '{s} s',
    minutes: '{m} min {s} s',
    hours: '{h} h {m} min',
    days: '{d} d {h} h',
  },
}

export default en
