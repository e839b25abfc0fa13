import { describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../shared/errorCodes'
import { ApiError, ApiErrorWithBody } from './api'
import { errorMessage } from './errors'

describe('errorMessage', () => {
  it('says a refusal in Chinese from the code the server gives, never its English text', () => {
    const unfilled = new ApiErrorWithBody(409, 'Clean export is blocked: 20 unfilled placeholders', { error: '…', code: ERROR_CODES.exportUnfilled, unfilledPlaceholders: new Array(20).fill({}) })
    expect(errorMessage(unfilled)).toBe('还有 20 处数字未填写，不能下载清稿。请先在“待填数字”中填写，或下载“Word（含修订与批注）”。')
    expect(errorMessage(new ApiErrorWithBody(501, 'PDF export needs LibreOffice', { error: '…', code: ERROR_CODES.pdfUnavailable }))).toContain('LibreOffice')
    expect(errorMessage(new ApiErrorWithBody(500, 'PDF conversion failed', { error: '…', code: ERROR_CODES.pdfFailed }))).toBe('PDF 转换失败，请稍后重试，或下载 Word 文件。')
    expect(errorMessage(new ApiErrorWithBody(503, 'Another process serves this document now', { error: '…', code: ERROR_CODES.documentMoved }))).toBe('文档正在转到另一台服务器，请稍候几秒再试。')
  })

  it('says sign-in, account and Word-file refusals in Chinese, with the figures the server gives', () => {
    const refusal = (status: number, body: Record<string, unknown>) => errorMessage(new ApiErrorWithBody(status, 'English text for logs', { error: 'English text for logs', ...body }))
    expect(refusal(401, { code: ERROR_CODES.wrongCredentials })).toBe('用户名或密码错误。')
    expect(refusal(429, { code: ERROR_CODES.signInThrottled, retryAfterSeconds: 29 })).toBe('登录失败次数过多，请 29 秒后再试。')
    expect(refusal(409, { code: ERROR_CODES.usernameTaken })).toBe('该用户名已被使用，请换一个。')
    expect(refusal(400, { code: ERROR_CODES.usernameInvalid })).toBe('用户名须为 2–32 位字母、数字、点、短横线或下划线。')
    expect(refusal(400, { code: ERROR_CODES.passwordTooShort, minLength: 8 })).toBe('密码至少需要 8 位。')
    expect(refusal(400, { code: ERROR_CODES.docxUnreadable })).toBe('无法读取该文件：请选择 Word 文档（.docx）。')
  })

  it('falls back on the status, and on the network when there was no answer', () => {
    expect(errorMessage(new ApiError(403, 'Forbidden'))).toBe('您没有权限执行此操作。')
    expect(errorMessage(new ApiErrorWithBody(418, 'teapot', { error: 'teapot', code: 'made-up' }))).toBe('操作未成功（服务器返回 418），请稍后重试。')
    expect(errorMessage(new TypeError('Failed to fetch'))).toBe('无法连接服务器，请检查网络后重试。')
  })
})
