; Inno Setup 6 script: the Windows installer for ShopLine (per-user, no administrator rights needed).
;
;   python tools\build_release.py              (builds dist\ShopLine and self-tests it)
;   iscc packaging\windows\shopline.iss       (writes dist\ShopLine-<version>-setup.exe)
;
; The version comes from the version resource that build.spec puts into ShopLine.exe.
; This file is UTF-8 with a byte order mark: Inno Setup needs the BOM to read the Japanese text.

#define AppExe "ShopLine.exe"
#define CliExe "shopline-cli.exe"
#define Bundle "..\..\dist\ShopLine"
#define AppVersion GetStringFileInfo(Bundle + "\" + AppExe, "ProductVersion")

[Setup]
; Never change AppId: it is how an update finds the installed copy.
AppId={{6F1D2A47-3C8B-4E5A-9B7E-2D4C1F0A8E63}
AppName=ShopLine
AppVersion={#AppVersion}
AppVerName=ShopLine {#AppVersion}
AppPublisher=ShopLine
; Per user: %LOCALAPPDATA%\Programs\ShopLine, Start menu and desktop of this user only.
PrivilegesRequired=lowest
DefaultDirName={autopf}\ShopLine
DefaultGroupName=ShopLine
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
ShowLanguageDialog=auto
SetupIconFile=..\..\resources\icons\shopline.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName=ShopLine
OutputDir=..\..\dist
OutputBaseFilename=ShopLine-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
; Closes a running ShopLine (via the Restart Manager) before its files are replaced.
CloseApplications=yes

[Languages]
; Japanese first: it is the language a Japanese Windows gets without being asked.
Name: "ja"; MessagesFile: "compiler:Languages\Japanese.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
ja.AppComment=LINE公式アカウントの友だち・タグ・配信を管理します
en.AppComment=Manage your LINE Official Account's friends, tags and messages
ja.KeepDataTitle=ShopLine のアンインストール
en.KeepDataTitle=Uninstall ShopLine
ja.KeepDataNote=お店のデータ(友だち・タグ・配信履歴・バックアップ)は次のフォルダーに残ります。再インストールすると、そのまま使えます。%n%n%1
en.KeepDataNote=Your shop's data (friends, tags, delivery history, backups) stays in this folder, ready for a reinstall.%n%n%1
ja.RemoveDataBox=お店のデータも削除する(元に戻せません)
en.RemoveDataBox=Also delete the shop's data (cannot be undone)

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\ShopLine"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"
Name: "{autodesktop}\ShopLine"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,ShopLine}"; Flags: nowait postinstall skipifsilent

[Code]
// The shop's data lives outside {app}, where platformdirs puts it (appauthor=False), so the
// uninstaller leaves it alone unless the user ticks the box; a silent uninstall always keeps it.
var
  RemoveData: Boolean;

function DataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\ShopLine');
end;

function InitializeUninstall(): Boolean;
var
  Form: TSetupForm;
  Note: TNewStaticText;
  Box: TNewCheckBox;
  OkButton, CancelButton: TNewButton;
begin
  Result := True;
  RemoveData := False;
  if UninstallSilent() or not DirExists(DataDir()) then
    Exit;
  Form := CreateCustomForm();
  try
    Form.Caption := CustomMessage('KeepDataTitle');
    Form.ClientWidth := ScaleX(440);
    Form.Position := poScreenCenter;

    Note := TNewStaticText.Create(Form);
    Note.Parent := Form;
    Note.Left := ScaleX(16);
    Note.Top := ScaleY(16);
    Note.Width := Form.ClientWidth - ScaleX(32);
    Note.AutoSize := False;
    Note.WordWrap := True;
    Note.Height := ScaleY(72);
    Note.Caption := FmtMessage(CustomMessage('KeepDataNote'), [DataDir()]);

    Box := TNewCheckBox.Create(Form);
    Box.Parent := Form;
    Box.Left := ScaleX(16);
    Box.Top := Note.Top + Note.Height + ScaleY(8);
    Box.Width := Form.ClientWidth - ScaleX(32);
    Box.Height := ScaleY(20);
    Box.Caption := CustomMessage('RemoveDataBox');
    Box.Checked := False;

    CancelButton := TNewButton.Create(Form);
    CancelButton.Parent := Form;
    CancelButton.Width := ScaleX(88);
    CancelButton.Height := ScaleY(26);
    CancelButton.Left := Form.ClientWidth - CancelButton.Width - ScaleX(16);
    CancelButton.Top := Box.Top + Box.Height + ScaleY(16);
    CancelButton.Caption := SetupMessage(msgButtonCancel);
    CancelButton.ModalResult := mrCancel;
    CancelButton.Cancel := True;

    OkButton := TNewButton.Create(Form);
    OkButton.Parent := Form;
    OkButton.Width := CancelButton.Width;
    OkButton.Height := CancelButton.Height;
    OkButton.Left := CancelButton.Left - OkButton.Width - ScaleX(8);
    OkButton.Top := CancelButton.Top;
    OkButton.Caption := SetupMessage(msgButtonOK);
    OkButton.ModalResult := mrOk;
    OkButton.Default := True;

    Form.ClientHeight := OkButton.Top + OkButton.Height + ScaleY(16);
    Form.ActiveControl := OkButton;
    if Form.ShowModal() = mrOk then
      RemoveData := Box.Checked
    else
      Result := False;  // the user cancelled the uninstall
  finally
    Form.Free();
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and RemoveData then
  begin
    DelTree(DataDir(), True, True, True);
    // Window sizes and splitters: QSettings under HKCU\Software\ShopLine.
    RegDeleteKeyIncludingSubkeys(HKEY_CURRENT_USER, 'Software\ShopLine');
  end;
end;
