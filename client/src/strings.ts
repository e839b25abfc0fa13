/** Every piece of UI text, in one place (Simplified Chinese). */
export const t = {
  appName: '会稿',
  appTagline: '公文协同起草',
  loading: '正在加载…',
  loadingDocument: '正在加载文档…',

  identity: {
    title: '欢迎使用会稿',
    prompt: '请输入您的姓名，协作者将看到它显示在您的光标旁。',
    placeholder: '例如：张明',
    confirm: '进入',
    change: '更改姓名',
    you: '（我）',
  },

  list: {
    heading: '文稿列表',
    create: '新建文稿',
    titleLabel: '标题',
    titlePlaceholder: '例如：2023年度述职报告',
    textLabel: '正文（可选，粘贴纯文本草稿）',
    submitCreate: '创建',
    cancel: '取消',
    empty: '还没有文稿。点击“新建文稿”开始起草。',
    open: '打开',
    rename: '重命名',
    save: '保存',
    remove: '删除',
    confirmRemove: (title: string) => `确定删除《${title}》吗？删除后无法恢复。`,
    updatedAt: '最近修改',
    createdAt: '创建时间',
    loadFailed: '无法加载文稿列表',
  },

  editor: {
    back: '返回文稿列表',
    undo: '撤销',
    redo: '重做',
    bold: '加粗',
    italic: '倾斜',
    underline: '下划线',
    strike: '删除线',
    heading: (level: number) => `${level}级标题`,
    paragraph: '正文',
    bulletList: '项目列表',
    orderedList: '编号列表',
    notFound: '文档不存在或已被删除。',
    unavailable: '文档暂时无法打开（服务器无法读取其存储文件）。请联系管理员。',
  },

  presence: {
    label: '在线',
    alone: '只有您在编辑',
  },

  connection: {
    connected: '已连接',
    connecting: '正在连接…',
    reconnecting: '正在重新连接…',
    offline: '离线',
    pending: (n: number) => `${n} 处修改待同步`,
    savedLocally: '修改已保存在本机，恢复连接后自动同步',
    synced: '所有修改已同步',
  },
} as const
