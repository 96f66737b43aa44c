// Simplified Chinese: the first and default language. Its shape is the schema every other
// language must match (see en.ts). Note: vue-i18n treats { } @ $ | as syntax in messages.
const zhCN = {
  lang: {
    label: '语言',
  },
  member: {
    title: '企业消息中心',
    welcome: '欢迎！在这里接收组织的消息，一键进入内部系统，随时找到同事。',
  },
  admin: {
    title: 'corphub 管理后台',
    menuToggle: '打开菜单',
    menuTitle: '导航',
    menu: {
      overview: '概览',
      directory: '通讯录',
      apps: '应用',
      messages: '消息',
      administrators: '管理员',
    },
    comingSoon: '即将推出',
    overviewIntro: '这里将管理通讯录、应用、消息推送和管理员权限。',
  },
  notFound: {
    title: '页面不存在',
    detail: '找不到地址 {path} 对应的页面。',
    home: '返回首页',
  },
  status: {
    title: '服务器状态',
    checking: '正在检查…',
    operational: '正常',
    unavailable: '不可用',
    state: '状态',
    version: '版本',
    storage: '存储',
    storageOk: '正常',
    storageDown: '异常',
    uptime: '运行时间',
    checkedAt: '检查于 {time}',
    retry: '重试',
    refresh: '刷新',
    errorTitle: '无法获取服务器状态',
    error: {
      network: '无法连接到服务器，请检查网络后重试。',
      timeout: '服务器没有及时响应，请稍后重试。',
      http: '服务器返回了错误（HTTP {status}）。',
      parse: '无法识别服务器的响应。',
    },
    backend: {
      sqlite: 'SQLite',
      postgres: 'PostgreSQL',
    },
  },
  uptime: {
    seconds: '{s} 秒',
    minutes: '{m} 分 {s} 秒',
    hours: '{h} 小时 {m} 分',
    days: '{d} 天 {h} 小时',
  },
}

export default zhCN
export type MessageSchema = typeof zhCN
